import { EmptyState } from '../../ui/states.tsx';

export default function FamilyScreen(props: { readonly watchId: string }) {
  return <EmptyState title={`FamilyScreen ${props.watchId}`} />;
}
