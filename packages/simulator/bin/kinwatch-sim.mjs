#!/usr/bin/env node
// The `kinwatch-sim` command. The sources are TypeScript run through tsx, so there is no build
// step between a checkout and a running simulator.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
