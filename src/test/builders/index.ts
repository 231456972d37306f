// The one set of test builders, for the data of unit, HTTP and browser tests. Each takes one
// options object; every field has a default except what the thing belongs to (a shop's workshop
// and owner, a listing's shop, a response's form), given as the row a test holds or its id.
export { signedInAgent, type Agent } from './agents.js';
export { openShopChat, sendChatPhoto, writeInChat } from './chat.js';
export { hugePng, jpegWithGps, smallPng, textPretendingToBeJpeg } from './images.js';
export {
  makeMarketplace,
  makeOrder,
  makeOrderUpTo,
  makePayment,
  makeReviewedOrder,
  payCheckout,
  shippingAddress,
  type Marketplace,
} from './orders.js';
export { listProductThroughForm, makeDemoShop } from './market.js';
export { makeForm, makeResponse, preTrainingAnswers } from './questionnaires.js';
export { makeListing, makeShop } from './shops.js';
export { makeUser, TEST_PASSWORD } from './users.js';
export { ctxOf, makeWorkshop, type MadeWorkshop } from './workshops.js';
