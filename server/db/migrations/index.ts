import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-monitoring.ts';
import * as m0003 from './0003-planning.ts';
import * as m0004 from './0004-portal.ts';
import * as m0012 from './0012-ward-area.ts';
import * as m0016 from './0016-radius.ts';
import * as m0013 from './0013-console-actions.ts';
import * as m0015 from './0015-satu-data.ts';
import * as m0011 from './0011-never-blind.ts';
import * as m0010 from './0010-hostile-world.ts';
import * as m0014a from './0014-portal-captive.ts';
import * as m0014b from './0014-hotspot-operations.ts';
import * as m0017 from './0017-regions.ts';
import * as m0017b from './0017-partitioned-history.ts';
import * as m0017c from './0017-collector-leases.ts';
import * as m0018i10 from './0018-10-hostile-world-rest.ts';
import * as m0018i11 from './0018-i11-interface-roles.ts';
import * as m0018sms from './0018-issue14-sms-delivery.ts';
import * as m0018speed from './0018-issue14-speed-tests.ts';
import * as m0019i10 from './0019-10-site-code.ts';
import * as m0020i10 from './0020-10-site-code-unique.ts';
import * as m0021i10 from './0021-10-forget-login-emails.ts';

/**
 * Every migration, in order. Listed statically (not read from a folder) so the same list runs on Node and inside a
 * Worker, where there is no file system. Names sort; never rename or edit one that has shipped: add a new one.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-monitoring': m0002,
  '0003-planning': m0003,
  '0004-portal': m0004,
  '0012-ward-area': m0012,
  '0016-radius': m0016,
  '0013-console-actions': m0013,
  '0015-satu-data': m0015,
  '0011-never-blind': m0011,
  '0010-hostile-world': m0010,
  '0014-portal-captive': m0014a,
  '0014-hotspot-operations': m0014b,
  '0017-regions': m0017,
  '0017-partitioned-history': m0017b,
  '0017-collector-leases': m0017c,
  '0018-10-hostile-world-rest': m0018i10,
  '0018-i11-interface-roles': m0018i11,
  '0018-issue14-sms-delivery': m0018sms,
  '0018-issue14-speed-tests': m0018speed,
  '0019-10-site-code': m0019i10,
  '0020-10-site-code-unique': m0020i10,
  '0021-10-forget-login-emails': m0021i10,
};
