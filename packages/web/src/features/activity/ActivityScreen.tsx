import { EmptyState } from '../../ui/states.tsx';

export default function ActivityScreen(props: { readonly watchId: string }) {
  return <EmptyState title={`ActivityScreen ${props.watchId}`} />;
}
