import { describe, expect, it } from 'vitest';
import { rebaseHostedUrl } from './hosted-url.js';

describe('rebaseHostedUrl', () => {
  it.each([
    ['http://127.0.0.1:3001/c/pay/cs_test_a', '192.168.1.20', 'http://192.168.1.20:3001/c/pay/cs_test_a'],
    ['http://127.0.0.1:3001/c/pay/cs_test_a', 'laptop.local', 'http://laptop.local:3001/c/pay/cs_test_a'],
    ['http://localhost:3001/c/pay/cs_test_a', '[fe80::1]', 'http://[fe80::1]:3001/c/pay/cs_test_a'],
  ])('when the sandbox says %s and the trainee used %s, then the trainee gets %s', (url, hostname, expected) => {
    expect(rebaseHostedUrl(url, hostname)).toBe(expected);
  });
});
