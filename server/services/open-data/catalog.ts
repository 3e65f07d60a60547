/**
 * The open-data catalogue in DCAT (W3C Data Catalog Vocabulary) as JSON-LD, the shape CKAN's DCAT harvester
 * (ckanext-dcat, which Indonesian open-data portals run) reads: one dcat:Catalog, one dcat:Dataset per dataset with
 * licence, update frequency, language, spatial and temporal coverage, and one dcat:Distribution per download (the
 * current file and each month kept from the daily snapshots). Titles and descriptions in Bahasa Indonesia and
 * English (`@language`). Download URLs are absolute, from the origin the catalogue was asked at.
 */
import { openDataSnapshotMonths, kpiSnapshotMonths } from '../../db/satu-data.ts';
import type { ServiceCtx } from '../../deps.ts';
import { cityDay } from '../kpis/city-day.ts';

export const LICENSE_URL = 'https://creativecommons.org/licenses/by/4.0/';
const DAILY = 'http://purl.org/cld/freq/daily';
const MONTHLY = 'http://purl.org/cld/freq/monthly';
const LANG_ID = 'http://publications.europa.eu/resource/authority/language/IND';
const LANG_EN = 'http://publications.europa.eu/resource/authority/language/ENG';

const MEDIA: Record<string, { mediaType: string; format: string }> = {
  csv: { mediaType: 'text/csv', format: 'CSV' },
  geojson: { mediaType: 'application/geo+json', format: 'GeoJSON' },
};

interface DatasetSpec {
  id: string;
  title: [string, string];
  description: [string, string];
  keywords: string[];
  periodicity: string;
  /** Current files: [extension, path]. */
  current: Array<[string, string]>;
  /** Monthly archives: extension and path (with ?month=). */
  monthly: Array<[string, string]>;
  /** Where the months come from. */
  months: 'snapshots' | 'kpi-snapshots' | 'history';
}

const DATASETS: DatasetSpec[] = [
  {
    id: 'hotspots',
    title: ['Titik Wi-Fi publik dan statusnya', 'Public Wi-Fi hotspots and their status'],
    description: [
      'Setiap titik Wi-Fi publik gratis: nama, lokasi, kelurahan, kecamatan, nama jaringan (SSID), status saat ini dan terakhir terlihat. Tanpa data pribadi.',
      'Every free public Wi-Fi hotspot: name, location, ward, district, network names (SSID), state now and last seen. No personal data.',
    ],
    keywords: ['wifi', 'hotspot', 'internet publik', 'public internet'],
    periodicity: DAILY,
    current: [['geojson', '/api/v1/open-data/hotspots.geojson'], ['csv', '/api/v1/open-data/hotspots.csv']],
    monthly: [['csv', '/api/v1/open-data/hotspots.csv']],
    months: 'snapshots',
  },
  {
    id: 'coverage-wards',
    title: ['Jangkauan Wi-Fi per kelurahan', 'Wi-Fi coverage per ward'],
    description: [
      'Per kelurahan: luas, persentase luas terjangkau, penduduk dan penduduk terjangkau (lapisan "assumed"), jumlah titik. Angka yang tidak terukur kosong dengan alasannya, bukan 0.',
      'Per ward: area, share of area covered, residents and residents covered (layer "assumed"), access points. A figure nobody measured is empty with its reason, never 0.',
    ],
    keywords: ['wifi', 'jangkauan', 'coverage', 'kelurahan'],
    periodicity: DAILY,
    current: [['csv', '/api/v1/open-data/coverage-wards.csv']],
    monthly: [['csv', '/api/v1/open-data/coverage-wards.csv']],
    months: 'snapshots',
  },
  {
    id: 'kpis-monthly',
    title: ['KPI program Wi-Fi publik per bulan', 'Public Wi-Fi programme KPIs per month'],
    description: [
      'Dari cuplikan harian: per kelurahan, penyedia, program dan kota, setiap KPI dengan jumlah hari berdata, rata-rata, minimum, maksimum dan nilai terakhir.',
      'From the daily snapshots: per ward, provider, programme and city, each KPI with days with data, mean, minimum, maximum and the last value.',
    ],
    keywords: ['kpi', 'wifi', 'kinerja', 'performance'],
    periodicity: MONTHLY,
    current: [],
    monthly: [['csv', '/api/v1/open-data/kpis-monthly.csv']],
    months: 'kpi-snapshots',
  },
  {
    id: 'availability-daily',
    title: ['Ketersediaan per titik per hari', 'Availability per hotspot per day'],
    description: [
      'Persentase waktu setiap titik Wi-Fi dapat dipakai per hari (WIB). Hari tanpa pengamatan: "no-data", bukan 0 atau 100.',
      'Share of each day (WIB) each hotspot was usable. A day without observation is "no-data", never 0 or 100.',
    ],
    keywords: ['wifi', 'ketersediaan', 'availability', 'uptime'],
    periodicity: DAILY,
    current: [],
    monthly: [['csv', '/api/v1/open-data/availability-daily.csv']],
    months: 'history',
  },
];

function lang(pair: [string, string]): Array<{ '@value': string; '@language': string }> {
  return [{ '@value': pair[0], '@language': 'id' }, { '@value': pair[1], '@language': 'en' }];
}

export interface CatalogDeps {
  origin: string;
  cityName: string;
}

export async function openDataCatalog(ctx: ServiceCtx, deps: CatalogDeps): Promise<Record<string, unknown>> {
  const nowMs = ctx.clock.nowMs();
  const today = cityDay(nowMs);
  const thisMonth = today.slice(0, 7);
  const snapMonths = await openDataSnapshotMonths(ctx.db);
  const kpiMonths = await kpiSnapshotMonths(ctx.db);
  const base = deps.origin.replace(/\/$/, '');
  const publisher = { '@type': 'foaf:Organization', 'foaf:name': `Pemerintah ${deps.cityName} (Diskominfo)` };
  const datasets = DATASETS.map((d) => {
    const months = d.months === 'snapshots'
      ? snapMonths.filter((m) => m.dataset === d.id).map((m) => m.month)
      : d.months === 'kpi-snapshots' ? kpiMonths : [thisMonth];
    const distributions = [
      ...d.current.map(([ext, path]) => ({
        '@type': 'dcat:Distribution', '@id': `${base}${path}`,
        'dct:title': lang([`${d.title[0]} (terkini, ${MEDIA[ext]!.format})`, `${d.title[1]} (current, ${MEDIA[ext]!.format})`]),
        'dcat:downloadURL': { '@id': `${base}${path}` }, 'dcat:accessURL': { '@id': `${base}${path}` },
        'dcat:mediaType': MEDIA[ext]!.mediaType, 'dct:format': MEDIA[ext]!.format, 'dct:license': { '@id': LICENSE_URL },
      })),
      ...months.flatMap((month) => d.monthly.map(([ext, path]) => ({
        '@type': 'dcat:Distribution', '@id': `${base}${path}?month=${month}`,
        'dct:title': lang([`${d.title[0]}, ${month} (${MEDIA[ext]!.format})`, `${d.title[1]}, ${month} (${MEDIA[ext]!.format})`]),
        'dcat:downloadURL': { '@id': `${base}${path}?month=${month}` }, 'dcat:accessURL': { '@id': `${base}${path}?month=${month}` },
        'dcat:mediaType': MEDIA[ext]!.mediaType, 'dct:format': MEDIA[ext]!.format, 'dct:license': { '@id': LICENSE_URL },
        'dct:temporal': { '@type': 'dct:PeriodOfTime', 'dcat:startDate': `${month}-01` },
      }))),
    ];
    return {
      '@type': 'dcat:Dataset',
      '@id': `${base}/api/v1/open-data/catalog.jsonld#${d.id}`,
      'dct:identifier': `jangkau-${d.id}`,
      'dct:title': lang(d.title),
      'dct:description': lang(d.description),
      'dcat:keyword': d.keywords,
      'dct:license': { '@id': LICENSE_URL },
      'dct:accessRights': { '@id': 'http://publications.europa.eu/resource/authority/access-right/PUBLIC' },
      'dct:accrualPeriodicity': { '@id': d.periodicity },
      'dct:language': [{ '@id': LANG_ID }, { '@id': LANG_EN }],
      'dct:publisher': publisher,
      'dcat:contactPoint': { '@type': 'vcard:Organization', 'vcard:fn': `Diskominfo ${deps.cityName}` },
      'dct:spatial': { '@type': 'dct:Location', 'locn:geographicName': deps.cityName },
      'dct:modified': today,
      ...(months.length === 0 ? {} : { 'dct:temporal': { '@type': 'dct:PeriodOfTime', 'dcat:startDate': `${months[0]}-01` } }),
      'dcat:distribution': distributions,
    };
  });
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      vcard: 'http://www.w3.org/2006/vcard/ns#',
      locn: 'http://www.w3.org/ns/locn#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
    },
    '@type': 'dcat:Catalog',
    '@id': `${base}/api/v1/open-data/catalog.jsonld`,
    'dct:title': lang([`Data terbuka Wi-Fi publik ${deps.cityName}`, `${deps.cityName} public Wi-Fi open data`]),
    'dct:description': lang([
      'Data terbuka program Wi-Fi publik gratis (Satu Data): titik, jangkauan, KPI dan ketersediaan. Tanpa data pribadi (UU PDP).',
      'Open data of the free public Wi-Fi programme (Satu Data): hotspots, coverage, KPIs and availability. No personal data (UU PDP).',
    ]),
    'dct:publisher': publisher,
    'dct:license': { '@id': LICENSE_URL },
    'dct:language': [{ '@id': LANG_ID }, { '@id': LANG_EN }],
    'dct:modified': today,
    'foaf:homepage': { '@id': `${base}/` },
    'dcat:dataset': datasets,
  };
}
