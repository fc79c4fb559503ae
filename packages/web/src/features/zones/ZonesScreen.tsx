import { EmptyState } from '../../ui/states.tsx';

export default function ZonesScreen(props: { readonly watchId: string }) {
  return <EmptyState title={`ZonesScreen ${props.watchId}`} />;
}
