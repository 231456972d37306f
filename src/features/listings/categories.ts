// The fixed category list of the practice marketplace; labels live in the listings locale files
// (listings:categories.<id>).
export const categories = ['kain-tenun', 'makanan-camilan', 'minuman-kopi', 'kerajinan', 'fashion', 'kecantikan', 'lainnya'] as const;

export type Category = (typeof categories)[number];

export const conditions = ['new', 'used'] as const;
export type Condition = (typeof conditions)[number];
