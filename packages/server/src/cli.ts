import { Command } from 'commander';

const program = new Command('kinwatch').description('Kinwatch: a self-hosted cloud for kids’ GPS watches');

program
  .command('start')
  .description('start Kinwatch')
  .action(() => {
    console.log('Kinwatch 0.1.0: the watch protocol codec is ready; the server is not built yet.');
  });

await program.parseAsync(process.argv);
