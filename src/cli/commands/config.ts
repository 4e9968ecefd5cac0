/** `riskgate config validate <file>`: exit 0 if valid, else 1 with every problem listed by path. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { validateConfigText } from '../../config/load.ts';

export function register(program: Command): void {
  const config = program.command('config').description('Configuration tools');
  config
    .command('validate')
    .description('Validate a riskgate YAML config; lists every problem by path')
    .argument('<file>', 'riskgate.yaml')
    .action((file: string) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        process.stderr.write(`${file}: cannot read file\n`);
        process.exitCode = 1;
        return;
      }
      const { problems } = validateConfigText(text);
      if (problems.length === 0) {
        process.stdout.write(`${file}: valid\n`);
        return;
      }
      for (const p of problems) process.stdout.write(`${p.path}: ${p.message}\n`);
      process.stdout.write(`${file}: ${problems.length} problem(s)\n`);
      process.exitCode = 1;
    });
}
