export default function SosTakeover() {
  return null;
}
