export { startSimulatedFleet, simAddress, type SimFleet, type SimFleetOptions } from './fleet.ts';
export { isSilentAt, clientsAt, octetsAt, uptimeSAt } from './behaviour.ts';
export { buildMib, type MibRecord } from './snmp-mib.ts';
export { startSnmpResponder, type SnmpResponder } from './snmp-responder.ts';
export { startRouterOsSim, routerRows, type RouterOsSim } from './routeros-router.ts';
export type { SimDevice, SimEndpoint, SimFault, SimRouterOsDevice, SimSnmpDevice, SimSnmpVendor } from './types.ts';
