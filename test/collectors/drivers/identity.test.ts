/**
 * The vendor identity rules on their own (the recordings cover one radio each; these cover the other cases the MIBs
 * describe): ePMP mode and sub-mode, JetStream hardware strings, airOS product versions, Ruckus country suffix.
 */
import { describe, expect, it } from 'vitest';
import { airosVersion } from '../../../collectors/drivers/airos.ts';
import { epmpModel } from '../../../collectors/drivers/cambium.ts';
import { ruckusVersion } from '../../../collectors/drivers/ruckus.ts';
import { splitHardware } from '../../../collectors/drivers/tplink.ts';
import { modelWithRevision } from '../../../core/discovery.ts';

describe('vendor identity rules', () => {
  it.each([
    [1, 1, 'ePMP AP'],
    [1, 5, 'ePTP Master'],
    [2, 1, 'ePMP SM'],
    [2, 4, 'ePTP Slave'],
    [3, 1, null],
    [null, 5, null],
  ])('ePMP mode %s, sub-mode %s -> %s', (mode, sub, model) => {
    expect(epmpModel(mode, sub)).toBe(model);
  });

  it.each([
    ['SG2218P 1.20', 'SG2218P', '1.20'],
    ['T2600G-28TS 3.0', 'T2600G-28TS', '3.0'],
    ['TL-SG3428 v2', 'TL-SG3428', '2'],
    ['SG3428X', 'SG3428X', null],
  ])('JetStream hardware %s -> model %s, revision %s', (hw, model, rev) => {
    expect(splitHardware(hw)).toEqual({ model, hardwareRevision: rev });
    expect(modelWithRevision({ model, hardwareRevision: rev })).toBe(rev ? `${model} ${rev}` : model);
  });

  it('airOS version is what follows .v; a string without one is kept whole', () => {
    expect(airosVersion('XW.ar934x.v6.3.6.33330.210818.1953')).toBe('6.3.6.33330.210818.1953');
    expect(airosVersion('8.7.4')).toBe('8.7.4');
    expect(airosVersion(null)).toBeNull();
  });

  it('Ruckus version carries the country only when the controller reports one', () => {
    expect(ruckusVersion('6.1.0.0.935', 'ID')).toBe('6.1.0.0.935 (ID)');
    expect(ruckusVersion('6.1.0.0.935', null)).toBe('6.1.0.0.935');
    expect(ruckusVersion(null, 'ID')).toBeNull();
  });
});
