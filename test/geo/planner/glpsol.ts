/** Solves a CPLEX LP file exactly with GLPK's glpsol (Debian package glpk-utils). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function glpsolAvailable(): boolean {
  return spawnSync('glpsol', ['--version'], { encoding: 'utf8' }).status === 0;
}

export function requireGlpsol(): void {
  if (!glpsolAvailable()) {
    throw new Error('glpsol (GLPK) is not installed: the optimality check needs it. Install it with `apt-get install -y glpk-utils`.');
  }
}

export interface ExactSolution {
  objective: number;
  status: string;
  seconds: number;
}

export function solveExactly(lp: string, timeLimitS = 120): ExactSolution {
  const dir = mkdtempSync(path.join(tmpdir(), 'jangkau-glpsol-'));
  try {
    const model = path.join(dir, 'plan.lp');
    const output = path.join(dir, 'plan.out');
    writeFileSync(model, lp);
    const started = performance.now();
    const result = spawnSync('glpsol', ['--lp', model, '--tmlim', String(timeLimitS), '-o', output], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const seconds = (performance.now() - started) / 1000;
    if (result.status !== 0) throw new Error(`glpsol failed (exit ${result.status}): ${result.stdout.slice(-2000)}${result.stderr}`);
    const text = readFileSync(output, 'utf8');
    const status = /Status:\s+(.+)/.exec(text)?.[1]?.trim() ?? 'unknown';
    const objective = Number(/Objective:\s+\S+\s+=\s+(\S+)/.exec(text)?.[1]);
    if (status !== 'INTEGER OPTIMAL' || !Number.isFinite(objective)) {
      throw new Error(`glpsol did not prove an optimum (status ${status}, objective ${objective})`);
    }
    return { objective, status, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
