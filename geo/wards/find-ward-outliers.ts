/**
 * Finds features that sit far from the rest of a ward collection, and says when swapping each pair back
 * to [lng, lat] would put them among the others (a [lat, lng] swap that stays inside the valid range).
 *
 * Method: take each feature's bbox centre; the collection's centre is the per-axis median (robust to a few
 * bad features). A feature is far when its centre lies more than max(minFarKm, 10 x the median distance of
 * all features) from that centre. A swap is reported when the swapped centre would not be far.
 * A whole file swapped while staying in range (e.g. a city near lng 10, lat 50) cannot be seen from the
 * file alone: pass `areaOfInterest` to catch it.
 */
import { haversineM } from './ring-geometry.ts';

export type Bbox = [number, number, number, number];

export interface OutlierOptions {
  /** Never call a feature far when it is closer than this to the collection's centre. Default 50 km. */
  minFarKm?: number;
  /** Features must touch this [minLng, minLat, maxLng, maxLat] box (e.g. the city's region). */
  areaOfInterest?: Bbox;
}

export interface OutlierFinding {
  index: number;
  message: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function boxesTouch(a: Bbox, b: Bbox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

function swapBbox(b: Bbox): Bbox {
  return [b[1], b[0], b[3], b[2]];
}

export function findWardOutliers(boxes: readonly { index: number; bbox: Bbox }[], options: OutlierOptions = {}): OutlierFinding[] {
  const findings: OutlierFinding[] = [];
  const aoi = options.areaOfInterest;
  if (aoi !== undefined) {
    for (const { index, bbox } of boxes) {
      if (boxesTouch(bbox, aoi)) continue;
      const swapped = swapBbox(bbox);
      const swappedValid = Math.abs(swapped[1]) <= 90 && Math.abs(swapped[3]) <= 90;
      findings.push({
        index,
        message:
          swappedValid && boxesTouch(swapped, aoi)
            ? 'coordinates look like [lat, lng] order: swapped back they fall inside the expected area'
            : `feature lies outside the expected area [${aoi.join(', ')}]`,
      });
    }
    if (findings.length > 0) return findings;
  }
  if (boxes.length < 3) return findings;
  const centres = boxes.map(({ index, bbox }) => ({ index, lng: (bbox[0] + bbox[2]) / 2, lat: (bbox[1] + bbox[3]) / 2 }));
  const midLng = median(centres.map((c) => c.lng));
  const midLat = median(centres.map((c) => c.lat));
  const distances = centres.map((c) => haversineM(c.lng, c.lat, midLng, midLat));
  const thresholdM = Math.max((options.minFarKm ?? 50) * 1000, 10 * median(distances));
  centres.forEach((c, k) => {
    const d = distances[k]!;
    if (d <= thresholdM) return;
    const swappedD = Math.abs(c.lng) <= 90 ? haversineM(c.lat, c.lng, midLng, midLat) : Infinity;
    const km = Math.round(d / 1000);
    findings.push({
      index: c.index,
      message:
        swappedD <= thresholdM
          ? `coordinates look like [lat, lng] order: the feature lies ${km} km from the rest, swapped back it would be among them`
          : `feature lies ${km} km from the rest of the collection (centre near [${midLng.toFixed(4)}, ${midLat.toFixed(4)}])`,
    });
  });
  return findings;
}
