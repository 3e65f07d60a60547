/** GET /api/v1/demo: whether this server runs the generated demo city (its own database), and how to leave it. */
import { z } from 'zod';

export const demoInfo = z.union([
  z.object({
    enabled: z.literal(true),
    /** Show it wherever data is shown: 'DEMO - data kota contoh / sample city data'. */
    label: z.string(),
    /** Seed of the generated city: the same seed gives the same city. */
    seed: z.number().int(),
    startedAt: z.string(),
    wards: z.number().int(),
    sites: z.number().int(),
    devices: z.number().int(),
    /** How to start without the demo. */
    disable: z.string(),
  }),
  z.object({ enabled: z.literal(false) }),
]);
export type DemoInfo = z.infer<typeof demoInfo>;
