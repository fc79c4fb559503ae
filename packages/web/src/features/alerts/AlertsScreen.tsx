import { EmptyState } from '../../ui/states.tsx';

export default function AlertsScreen(props: { readonly watchId?: string }) {
  return <EmptyState title={`AlertsScreen ${props.watchId ?? ''}`} />;
}
