import { describeOnEachDatabase } from '../adapters/sql/sql-test-support.ts';
import { positionIngestTests } from './position-ingest.suite.ts';

// SQLite and PostgreSQL (KINWATCH_TEST_POSTGRES_URL, default postgres://127.0.0.1:5432/test).
describeOnEachDatabase('position ingest', (context) => {
  positionIngestTests(context);
});
