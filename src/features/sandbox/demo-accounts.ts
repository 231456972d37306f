// The names of the demo: accounts, password, join code and workshop. The seed, the first start,
// the tutor's reset, the tests and the browser journeys all read them from here. This file
// imports nothing, so the demo loaders and the browser tests can share it without pulling in
// the app.

/** Shared by every demo account; printed at start and written in the README. */
export const DEMO_PASSWORD = 'latihan123';

export const DEMO_JOIN_CODE = 'DPS226';

export type DemoAccount = {
  username: string;
  displayName: string;
  role: 'admin' | 'organizer' | 'tutor' | 'trainee';
  /** The role in the demo workshop; the admin is not a member. */
  workshopRole?: 'organizer' | 'tutor' | 'trainee';
};

/** The people of the demo workshop, by who they are in the stories of the journeys. */
export const demoAccounts = {
  admin: { username: 'admin', displayName: 'Admin PasarLatih', role: 'admin' },
  organizer: { username: 'penyelenggara', displayName: 'Ibu Ketut Sari (Penyelenggara)', role: 'organizer', workshopRole: 'organizer' },
  tutor: { username: 'fasilitator', displayName: 'Pak Wayan Adi (Fasilitator)', role: 'tutor', workshopRole: 'tutor' },
  siti: { username: 'siti', displayName: 'Siti Aminah', role: 'trainee', workshopRole: 'trainee' },
  dewi: { username: 'dewi', displayName: 'Ni Luh Dewi', role: 'trainee', workshopRole: 'trainee' },
  komang: { username: 'komang', displayName: 'Komang Ayu', role: 'trainee', workshopRole: 'trainee' },
} as const satisfies Record<string, DemoAccount>;

/** Every demo account, in the order they are created and listed at start. */
export const demoAccountList: readonly DemoAccount[] = Object.values(demoAccounts);

export const demoWorkshop = {
  name: 'Pelatihan E-Commerce UMKM Perempuan Denpasar',
  city: 'Denpasar',
  venue: 'Gedung Dharma Negara Alaya',
  /** The sessions of the default agenda (agenda/default-agenda.ts), which the demo workshop follows. */
  sessions: ['Hari 1 – Sesi 1', 'Hari 1 – Sesi 2', 'Hari 2 – Sesi 1', 'Hari 2 – Sesi 2'],
};

/** The sellers of the demo shops (demo-shops.ts): trainees of every workshop the demo shops are loaded into. */
export const demoShopOwners = {
  tenun: { username: 'toko.tenun', displayName: 'Ni Wayan Sukerti' },
  camilan: { username: 'toko.camilan', displayName: 'Komang Sri Utami' },
  kopi: { username: 'toko.kopi', displayName: 'Nyoman Darma' },
  ata: { username: 'toko.ata', displayName: 'Luh Putu Ardani' },
  perak: { username: 'toko.perak', displayName: 'Made Wirawan' },
  dupa: { username: 'toko.dupa', displayName: 'Ketut Rai Suartini' },
} as const satisfies Record<string, { username: string; displayName: string }>;

export type DemoBuyer = {
  username: string;
  displayName: string;
  address: { name: string; phone: string; line: string; city: string; postalCode: string };
};

/**
 * The market's demo buyers (src/features/market/): they order from trainees' shops. Trainees of
 * every workshop whose trainees sell, added when they first buy there; accounts, not participants.
 */
export const demoBuyers = {
  ayu: {
    username: 'pembeli.ayu',
    displayName: 'Ayu Wulandari',
    address: { name: 'Ayu Wulandari', phone: '081237001001', line: 'Jl. Teuku Umar No. 88', city: 'Denpasar', postalCode: '80114' },
  },
  made: {
    username: 'pembeli.made',
    displayName: 'I Made Suarjana',
    address: { name: 'I Made Suarjana', phone: '081237001002', line: 'Jl. Raya Ubud No. 17', city: 'Gianyar', postalCode: '80571' },
  },
  rina: {
    username: 'pembeli.rina',
    displayName: 'Rina Kartika',
    address: { name: 'Rina Kartika', phone: '081237001003', line: 'Jl. Diponegoro No. 45', city: 'Singaraja', postalCode: '81113' },
  },
  yoga: {
    username: 'pembeli.yoga',
    displayName: 'Putu Yoga Pratama',
    address: {
      name: 'Putu Yoga Pratama',
      phone: '081237001004',
      line: 'Jl. By Pass Ngurah Rai No. 210',
      city: 'Badung',
      postalCode: '80361',
    },
  },
} as const satisfies Record<string, DemoBuyer>;

export const demoBuyerList: readonly DemoBuyer[] = Object.values(demoBuyers);
