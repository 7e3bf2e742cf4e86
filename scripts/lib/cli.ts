import { Command, CommanderError } from 'commander';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * A command line as every script here has it: `--help` with the options and examples, and a
 * mistake answered with one line (no stack trace) and exit code `usageExit`.
 */
export function commandLine(name: string, description: string, usageExit = 2): Command {
  return new Command(`npm run ${name} --`)
    .description(description)
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError('(npm run ' + name + ' -- --help lists the options)')
    .configureOutput({ outputError: (text, write) => write(text.split('\n')[0] + '\n') })
    .exitOverride((err: CommanderError) => {
      // --help and --version are not failures.
      process.exit(err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version' ? 0 : usageExit);
    });
}

/** Ends the command with one line on standard error and an exit code, without a stack trace. */
export function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

/** Runs `main`; an error it did not expect is still one line (the stack goes to the log only with DEBUG). */
export async function runCommand(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (process.env.DEBUG) console.error(err);
    fail(`error: ${err instanceof Error ? err.message : String(err)}`, process.exitCode && process.exitCode !== 0 ? Number(process.exitCode) : 3);
  }
}

/** For commands with sub-commands of their own: prints `usage` and exits 0 when asked for help. */
export function helpIfAsked(usage: string, args: string[] = process.argv.slice(2)): void {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage.trim());
    process.exit(0);
  }
}

/** node:util's parseArgs, with a mistake answered in one line and exit code 2 instead of a stack trace. */
export function parseArgsOrFail<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    return fail(`error: ${(err as Error).message.split('\n')[0]} (--help lists the options)`);
  }
}
