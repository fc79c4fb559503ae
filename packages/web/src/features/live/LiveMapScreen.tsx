import { EmptyState } from '../../ui/states.tsx';

export default function LiveMapScreen(props: { readonly watchId: string }) {
  return <EmptyState title={`LiveMapScreen ${props.watchId}`} />;
}
