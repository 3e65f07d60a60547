import { idParam } from '../../core/schemas/common.ts';
import { deviceBody, deviceBulkBody, deviceListQuery, devicePatch, siteBody, siteListQuery, sitePatch, snmpSpec } from '../../core/schemas/inventory.ts';
import { z } from 'zod';
import { discoverDevice } from '../services/devices/discover-device.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { bulkDevices, createDevice, getDevice, importDevicesCsv, listDevicePage, patchDevice, removeDevice } from '../services/devices/manage-devices.ts';
import { createSite, getSite, importSitesCsv, listSitePage, patchSite, removeSite } from '../services/sites/manage-sites.ts';
import { csvImportOut, devicePageOut, discoveryOut, okOut, sitePageOut } from '../../core/schemas/responses.ts';
import { deviceOut, siteOut } from '../../core/schemas/inventory.ts';

const discoverBody = z.object({ address: deviceBody.shape.address, snmp: snmpSpec });

const CSV = { kind: 'text', mediaTypes: ['text/csv'], maxBytes: 2 * 1024 * 1024 } as const;

export const inventoryRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/sites',
    access: 'staff',
    scope: 'filtered',
    summary: 'Sites with free Wi-Fi, existing or planned',
    tag: 'inventory',
    query: siteListQuery,
    response: sitePageOut, handler: async ({ ctx, query }) => listSitePage(ctx, query),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/sites',
    access: ['admin', 'planner', 'engineer'],
    scope: 'filtered',
    summary: 'Add a site; its ward is found from the location (outside every ward: stored and flagged)',
    tag: 'inventory',
    status: 201,
    body: { kind: 'json', schema: siteBody },
    response: siteOut, handler: async ({ ctx, body }) => createSite(ctx, body),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/sites/import',
    scope: 'province',
    access: ['admin', 'planner'],
    summary: 'Import sites from CSV (all or nothing; faults listed per row)',
    tag: 'inventory',
    status: 201,
    body: CSV,
    response: csvImportOut, handler: async ({ ctx, body }) => importSitesCsv(ctx, body),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/sites/:id',
    access: 'staff',
    scope: { site: 'id' },
    summary: 'One site',
    tag: 'inventory',
    params: idParam,
    response: siteOut, handler: async ({ ctx, params }) => getSite(ctx, params.id),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/sites/:id',
    access: ['admin', 'planner', 'engineer'],
    scope: { site: 'id' },
    summary: 'Change a site',
    tag: 'inventory',
    params: idParam,
    body: { kind: 'json', schema: sitePatch },
    response: siteOut, handler: async ({ ctx, params, body }) => patchSite(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/sites/:id',
    access: ['admin', 'planner'],
    scope: { site: 'id' },
    summary: 'Remove a site (its devices stay, unplaced)',
    tag: 'inventory',
    params: idParam,
    response: okOut, handler: async ({ ctx, params }) => {
      await removeSite(ctx, params.id);
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/devices',
    access: 'staff',
    scope: 'filtered',
    summary: 'Access points, routers and gateways (credentials never shown); search by name, IP address, site, kelurahan or kecamatan',
    tag: 'inventory',
    query: deviceListQuery,
    response: devicePageOut, handler: async ({ ctx, query }) => listDevicePage(ctx, query),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/devices',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Add a device; SNMP community and RouterOS password are sealed at rest',
    tag: 'inventory',
    status: 201,
    body: { kind: 'json', schema: deviceBody },
    response: deviceOut, handler: async ({ ctx, body }) => createDevice(ctx, body),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/devices/import',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Import devices from CSV (all or nothing; faults listed per row)',
    tag: 'inventory',
    status: 201,
    body: CSV,
    response: csvImportOut, handler: async ({ ctx, body }) => importDevicesCsv(ctx, body),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/devices/bulk',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Enable, disable or move many devices to a site at once (all or nothing)',
    tag: 'inventory',
    body: { kind: 'json', schema: deviceBulkBody, maxBytes: 128 * 1024 },
    response: z.object({ updated: z.number() }),
    handler: async ({ ctx, body }) => bulkDevices(ctx, body),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/devices/discover',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Ask a device by address and SNMP community what it is: vendor, model, firmware (nothing is saved)',
    tag: 'inventory',
    body: { kind: 'json', schema: discoverBody },
    response: discoveryOut, handler: async ({ ctx, body }) => discoverDevice(ctx, body),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/devices/:id',
    access: 'staff',
    scope: { device: 'id' },
    summary: 'One device',
    tag: 'inventory',
    params: idParam,
    response: deviceOut, handler: async ({ ctx, params }) => getDevice(ctx, params.id),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/devices/:id',
    access: ['admin', 'engineer'],
    scope: { device: 'id' },
    summary: 'Change a device; credentials given replace the stored ones',
    tag: 'inventory',
    params: idParam,
    body: { kind: 'json', schema: devicePatch },
    response: deviceOut, handler: async ({ ctx, params, body }) => patchDevice(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/devices/:id',
    access: ['admin', 'engineer'],
    scope: { device: 'id' },
    summary: 'Remove a device',
    tag: 'inventory',
    params: idParam,
    response: okOut, handler: async ({ ctx, params }) => {
      await removeDevice(ctx, params.id);
      return { ok: true };
    },
  }),
];
