// Demo shops: realistic Bali UMKM shops with products, owned by demo seller accounts. Their
// pictures are our own SVG drawings (demo-assets/), rasterized and then sent through the same
// pipeline as a trainee's upload (judged, re-encoded, thumbnailed). The seed, the tutor's reset
// and the tests all load them through loadDemoShops().
import fs from 'node:fs/promises';
import path from 'node:path';
import { prisma } from '../../db.js';
import { sourcePath } from '../../paths.js';
import { prepareImage, rasterizeSvg, type PreparedImage } from '../../lib/images.js';
import { hashPassword } from '../auth/auth.service.js';
import { removeStoredFiles, storeImage, type StoredImage } from '../../http/uploads.js';
import type { Category, Condition } from '../listings/categories.js';
import { listingSearchText, photoSizes } from '../listings/listings.service.js';
import { logoSizes } from '../shops/shops.service.js';
import { DEMO_PASSWORD, demoShopOwners } from './demo-accounts.js';

const assetsDir = sourcePath('features', 'sandbox', 'demo-assets');

type DemoProduct = {
  title: string;
  description: string;
  price: number;
  stock: number;
  weightGrams: number;
  category: Category;
  condition?: Condition;
  minOrder?: number;
  /** File names in demo-assets/, first one is the cover. */
  pictures: string[];
};

type DemoShop = {
  owner: { username: string; displayName: string };
  name: string;
  city: string;
  description: string;
  logo: { initials: string; background: string; accent: string };
  products: DemoProduct[];
};

export const demoShops: DemoShop[] = [
  {
    owner: demoShopOwners.tenun,
    name: 'Tenun Endek Sidemen',
    city: 'Karangasem',
    description:
      'Kain endek dan songket tenunan ibu-ibu Desa Sidemen. Setiap kain ditenun dengan alat tenun bukan mesin (ATBM), satu kain butuh 1–3 minggu.',
    logo: { initials: 'TE', background: '#8e1b2c', accent: '#e9b949' },
    products: [
      {
        title: 'Kain Endek Bali Motif Cepuk 2 m',
        description:
          'Kain endek tenun tangan motif cepuk, ukuran 200 × 110 cm, benang katun. Cocok untuk kamen, kemeja, atau seragam kantor hari Selasa. Cuci dengan tangan, jangan diperas, jemur di tempat teduh.',
        price: 350_000,
        stock: 8,
        weightGrams: 450,
        category: 'kain-tenun',
        pictures: ['endek-cepuk.svg', 'selendang.svg'],
      },
      {
        title: 'Kain Songket Bali Benang Emas Motif Wajik',
        description:
          'Songket tenun tangan dengan benang emas, ukuran 200 × 100 cm. Untuk upacara dan pernikahan. Simpan terlipat dengan kertas minyak agar benang emas tidak kusam.',
        price: 1_250_000,
        stock: 3,
        weightGrams: 600,
        category: 'kain-tenun',
        pictures: ['songket.svg'],
      },
      {
        title: 'Selendang Endek Motif Wajik Hijau Toska',
        description:
          'Selendang (senteng) endek 200 × 40 cm, warna hijau toska dengan motif wajik merah dan kuning. Ringan dan tidak panas dipakai.',
        price: 120_000,
        stock: 15,
        weightGrams: 200,
        category: 'kain-tenun',
        pictures: ['selendang.svg'],
      },
      {
        title: 'Udeng Bali Batik Cokelat Siap Pakai',
        description:
          'Udeng (ikat kepala pria Bali) siap pakai, bahan batik cokelat dengan motif emas. Lingkar kepala 56–58 cm, ada pengait di belakang.',
        price: 45_000,
        stock: 25,
        weightGrams: 100,
        category: 'fashion',
        pictures: ['udeng.svg'],
      },
    ],
  },
  {
    owner: demoShopOwners.camilan,
    name: 'Oleh-oleh Bu Komang',
    city: 'Denpasar',
    description:
      'Camilan khas Bali buatan rumah di Denpasar: pie susu, kacang, dan keripik. Tanpa pengawet, dikemas rapat untuk oleh-oleh.',
    logo: { initials: 'BK', background: '#d62828', accent: '#fcbf49' },
    products: [
      {
        title: 'Pie Susu Bali Original isi 10',
        description:
          'Pie susu renyah dengan isian susu lembut, isi 10 buah dalam kotak. Tahan 7 hari di suhu ruang, 14 hari di kulkas. Dibuat setiap pagi.',
        price: 35_000,
        stock: 40,
        weightGrams: 350,
        category: 'makanan-camilan',
        minOrder: 2,
        pictures: ['pie-susu.svg'],
      },
      {
        title: 'Kacang Disco Pedas Bali 250 g',
        description:
          'Kacang tanah berbalut tepung renyah dengan bumbu pedas manis khas Bali. Kemasan standing pouch 250 gram dengan zipper.',
        price: 28_000,
        stock: 60,
        weightGrams: 300,
        category: 'makanan-camilan',
        pictures: ['kacang.svg'],
      },
      {
        title: 'Keripik Pisang Manis Gula Aren 200 g',
        description: 'Keripik pisang kepok dengan lapisan gula aren, tipis dan renyah. Kemasan 200 gram, tahan 2 bulan sebelum dibuka.',
        price: 22_000,
        stock: 35,
        weightGrams: 250,
        category: 'makanan-camilan',
        pictures: ['keripik.svg'],
      },
    ],
  },
  {
    owner: demoShopOwners.kopi,
    name: 'Kopi Kintamani Pak Nyoman',
    city: 'Bangli',
    description: 'Kopi arabika dari kebun keluarga di lereng Gunung Batur, Kintamani. Dipetik merah, diproses dan disangrai sendiri.',
    logo: { initials: 'KN', background: '#3e2723', accent: '#d7b98e' },
    products: [
      {
        title: 'Kopi Arabika Kintamani Biji Sangrai 250 g',
        description:
          'Biji kopi arabika Kintamani sangrai medium, rasa jeruk dan gula aren. Kemasan 250 gram dengan katup udara. Giling sesaat sebelum diseduh.',
        price: 95_000,
        stock: 20,
        weightGrams: 300,
        category: 'minuman-kopi',
        pictures: ['kopi-biji.svg', 'kopi-bubuk.svg'],
      },
      {
        title: 'Kopi Arabika Kintamani Bubuk Halus 200 g',
        description:
          'Kopi bubuk halus untuk diseduh tubruk atau dengan saringan. 200 gram, sangrai medium-dark. Simpan di wadah tertutup, jauh dari sinar matahari.',
        price: 75_000,
        stock: 30,
        weightGrams: 250,
        category: 'minuman-kopi',
        pictures: ['kopi-bubuk.svg'],
      },
      {
        title: 'Teh Sereh Jahe Kering Kintamani 50 g',
        description:
          'Campuran sereh dan jahe kering dari kebun Kintamani, tanpa gula. Seduh satu sendok dengan air panas 5 menit. Hangat untuk malam hari.',
        price: 30_000,
        stock: 25,
        weightGrams: 100,
        category: 'minuman-kopi',
        pictures: ['teh-sereh.svg'],
      },
    ],
  },
  {
    owner: demoShopOwners.ata,
    name: 'Anyaman Ata Tenganan',
    city: 'Karangasem',
    description: 'Kerajinan anyaman ata dan bambu dari Tenganan. Ata diasapi dan dianyam rapat sehingga kuat dan awet bertahun-tahun.',
    logo: { initials: 'AT', background: '#6d4a24', accent: '#d6ad74' },
    products: [
      {
        title: 'Tas Anyaman Ata Bulat Diameter 20 cm',
        description:
          'Tas bulat anyaman ata asli Tenganan, diameter 20 cm, tali kulit sintetis, dalamnya dilapis kain batik dan ada resleting. Warna alami ata yang diasapi.',
        price: 185_000,
        stock: 10,
        weightGrams: 500,
        category: 'kerajinan',
        pictures: ['tas-ata.svg'],
      },
      {
        title: 'Keranjang Bambu Serbaguna dengan Pegangan',
        description: 'Keranjang anyaman bambu ukuran 35 × 25 × 20 cm, untuk buah, canang, atau belanja ke pasar. Ringan dan kuat.',
        price: 65_000,
        stock: 18,
        weightGrams: 700,
        category: 'kerajinan',
        pictures: ['keranjang-bambu.svg'],
      },
      {
        title: 'Tatakan Gelas Anyaman Ata Set isi 6',
        description: 'Enam tatakan gelas anyaman ata, diameter 10 cm. Tahan panas, mudah dibersihkan dengan lap kering.',
        price: 55_000,
        stock: 22,
        weightGrams: 200,
        category: 'kerajinan',
        pictures: ['tatakan-ata.svg'],
      },
    ],
  },
  {
    owner: demoShopOwners.perak,
    name: 'Perak Celuk Made',
    city: 'Gianyar',
    description: 'Perhiasan perak 925 buatan tangan pengrajin Desa Celuk, Gianyar. Setiap barang bercap 925 dan dikirim dengan kotak.',
    logo: { initials: 'PC', background: '#283845', accent: '#c9ccd1' },
    products: [
      {
        title: 'Anting Perak 925 Bunga Jepun (Kamboja)',
        description:
          'Sepasang anting perak 925 berbentuk bunga jepun dengan titik lapis emas di tengah. Panjang 4 cm, kait anting aman untuk kulit sensitif.',
        price: 175_000,
        stock: 12,
        weightGrams: 50,
        category: 'fashion',
        pictures: ['anting-perak.svg'],
      },
      {
        title: 'Gelang Perak 925 Ukir Motif Jawan',
        description:
          'Gelang bangle perak 925 dengan ukiran motif jawan khas Celuk, lebar 1,5 cm, diameter dalam 6 cm. Bisa dipoles ulang bila kusam.',
        price: 320_000,
        stock: 6,
        weightGrams: 80,
        category: 'fashion',
        pictures: ['gelang-perak.svg'],
      },
    ],
  },
  {
    owner: demoShopOwners.dupa,
    name: 'Dupa & Minyak Bu Ketut',
    city: 'Denpasar',
    description: 'Dupa, minyak kelapa tandusan dan sabun sereh buatan rumah. Bahan alami dari kebun sendiri di Denpasar Timur.',
    logo: { initials: 'DM', background: '#2a6f4e', accent: '#f4a261' },
    products: [
      {
        title: 'Dupa Harum Cendana isi 50 Batang',
        description:
          'Dupa aroma cendana, 50 batang per kotak, panjang 25 cm, menyala sekitar 40 menit per batang. Untuk sembahyang atau pengharum ruangan.',
        price: 15_000,
        stock: 80,
        weightGrams: 150,
        category: 'lainnya',
        minOrder: 2,
        pictures: ['dupa.svg'],
      },
      {
        title: 'Minyak Kelapa Tandusan Bali 250 ml',
        description:
          'Minyak kelapa tradisional (tandusan) dimasak dari santan kelapa segar, wangi dan jernih. Untuk memasak atau pijat. Botol kaca 250 ml.',
        price: 40_000,
        stock: 30,
        weightGrams: 400,
        category: 'kecantikan',
        pictures: ['minyak-kelapa.svg'],
      },
      {
        title: 'Sabun Sereh Wangi Handmade 100 g',
        description:
          'Sabun batang buatan tangan dari minyak kelapa dan sereh wangi, tanpa pewarna. 100 gram per batang, dibungkus kertas daur ulang.',
        price: 25_000,
        stock: 45,
        weightGrams: 120,
        category: 'kecantikan',
        pictures: ['sabun-sereh.svg'],
      },
    ],
  },
];

/** A round logo with the shop's initials, drawn here rather than kept as a file per shop. */
function logoSvg(logo: DemoShop['logo']): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200">
  <circle cx="100" cy="100" r="100" fill="${logo.background}"/>
  <circle cx="100" cy="100" r="84" fill="none" stroke="${logo.accent}" stroke-width="6" stroke-dasharray="14 8"/>
  <text x="100" y="122" font-family="DejaVu Sans, Arial, sans-serif" font-size="64" font-weight="700" text-anchor="middle" fill="${logo.accent}">${logo.initials}</text>
</svg>`;
}

// Rasterizing and re-encoding ~25 pictures costs a second or two of CPU: done once per process,
// then every load (seed, reset, tests) only writes the files.
const preparedCache = new Map<string, Promise<PreparedImage>>();

function prepared(key: string, make: () => Promise<PreparedImage>): Promise<PreparedImage> {
  let image = preparedCache.get(key);
  if (!image) {
    image = make();
    preparedCache.set(key, image);
    image.catch(() => preparedCache.delete(key));
  }
  return image;
}

const productPicture = (file: string) =>
  prepared(`asset:${file}`, async () => prepareImage(await rasterizeSvg(await fs.readFile(path.join(assetsDir, file)), 1000), photoSizes));

const logoPicture = (shop: DemoShop) =>
  prepared(`logo:${shop.owner.username}`, async () => prepareImage(await rasterizeSvg(logoSvg(shop.logo), 400), logoSizes));

let passwordHash: Promise<string> | undefined;

/**
 * Puts the demo shops into a workshop: their seller accounts (created when missing, made
 * trainees of the workshop) and, for each seller who has no shop there yet, the shop with its
 * products and pictures. Loading twice changes nothing.
 */
export async function loadDemoShops(workshopId: number): Promise<void> {
  passwordHash ??= hashPassword(DEMO_PASSWORD);
  const hash = await passwordHash;
  for (const demo of demoShops) {
    const user = await prisma.user.upsert({
      where: { username: demo.owner.username },
      create: { username: demo.owner.username, displayName: demo.owner.displayName, role: 'trainee', passwordHash: hash, demoKind: 'shop' },
      // A demo seller is never counted as a participant (workshops/participants.ts).
      update: { demoKind: 'shop' },
      select: { id: true },
    });
    await prisma.membership.upsert({
      where: { workshopId_userId: { workshopId, userId: user.id } },
      create: { workshopId, userId: user.id, role: 'trainee' },
      update: {},
    });
    const existing = await prisma.shop.findUnique({
      where: { workshopId_ownerId: { workshopId, ownerId: user.id } },
      select: { id: true },
    });
    if (existing) continue;

    const written: StoredImage[] = [];
    try {
      const logo = await storeImage(await logoPicture(demo), 'shops');
      written.push(logo);
      const photos: StoredImage[][] = [];
      for (const product of demo.products) {
        const stored: StoredImage[] = [];
        for (const file of product.pictures) stored.push(await storeImage(await productPicture(file), 'listings'));
        written.push(...stored);
        photos.push(stored);
      }
      await prisma.$transaction(async (tx) => {
        const shop = await tx.shop.create({
          data: {
            workshopId,
            ownerId: user.id,
            name: demo.name,
            city: demo.city,
            description: demo.description,
            logoPath: logo.path,
            isDemo: true,
          },
          select: { id: true },
        });
        for (const [index, product] of demo.products.entries()) {
          await tx.listing.create({
            data: {
              workshopId,
              shopId: shop.id,
              title: product.title,
              description: product.description,
              searchText: listingSearchText(product.title, product.description),
              price: product.price,
              stock: product.stock,
              weightGrams: product.weightGrams,
              condition: product.condition ?? 'new',
              category: product.category,
              minOrder: product.minOrder ?? 1,
              photos: { create: photos[index]!.map((photo, position) => ({ workshopId, ...photo, position })) },
            },
          });
        }
      });
    } catch (error) {
      await removeStoredFiles(written.flatMap((w) => [w.path, w.thumbPath]));
      throw error;
    }
  }
}
