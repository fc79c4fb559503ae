import { EmptyState } from '../../ui/states.tsx';

export default function WatchesScreen() {
  return <EmptyState title="WatchesScreen" />;
}
