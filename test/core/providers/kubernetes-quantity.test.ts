import { describe, expect, it } from 'bun:test';
import {
  formatCores,
  formatMemory,
  parseQuantity,
  quantityGib,
} from '../../../core/providers/kubernetes/quantity';

describe('parseQuantity', () => {
  it.each([
    ['250m', 0.25],
    ['2', 2],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['100n', 1e-7],
    ['1500u', 0.0015],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['2Ti', 2 * 2 ** 40],
    ['1G', 1e9],
    ['500k', 5e5],
    ['1e3', 1000],
    ['1E', 1e18],
    ['129e6', 129e6],
    ['12345Ki', 12345 * 1024],
  ])('reads %s', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  it.each([['abc'], ['1Zi'], [''], ['--1']])('rejects %p', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  it('reads GiB and tolerates a missing value', () => {
    expect(quantityGib('512Mi')).toBe(0.5);
    expect(quantityGib(undefined)).toBe(0);
  });
});

describe('formatCores and formatMemory', () => {
  it.each([
    [0.013000000000000001, '13m'],
    [0.25, '250m'],
    [2, '2'],
    [0.0001, '1m'],
  ])('formats %p cores as %s', (cores, text) => {
    expect(formatCores(cores)).toBe(text);
  });

  it.each([
    [100 * 2 ** 20 * 1.3, '130Mi'],
    [2 ** 30, '1Gi'],
    [3 * 2 ** 29, '1536Mi'],
  ])('formats %p bytes as %s', (bytes, text) => {
    expect(formatMemory(bytes)).toBe(text);
  });
});
