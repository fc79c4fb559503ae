import { EmptyState } from '../../ui/states.tsx';

export default function HistoryScreen(props: { readonly watchId: string }) {
  return <EmptyState title={`HistoryScreen ${props.watchId}`} />;
}
