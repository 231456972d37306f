import { describe, expect, it } from 'vitest';
import { defuseFormula, restoreFormula } from './csv.js';

describe('formulas in CSV cells', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+62 812', "'+62 812"],
    ['-5', "'-5"],
    ['@cmd', "'@cmd"],
    ['\tindented', "'\tindented"],
    ['Kain endek', 'Kain endek'],
    ["'quoted", "'quoted"],
    ['', ''],
  ])('when a typed cell is %j, then it is written %j and read back as typed', (typed, written) => {
    expect(defuseFormula(typed)).toBe(written);
    expect(restoreFormula(defuseFormula(typed))).toBe(typed);
  });
});
