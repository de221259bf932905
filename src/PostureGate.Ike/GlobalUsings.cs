// The floor's vocabulary (PostureGate.Foundation: IPv4 prefixes, RFC 3948 classification, the
// CHILD_SA installation contract, the DPD modes) is every IKE file's vocabulary, as the transform IDs are.
global using PostureGate.Kernel;
global using PostureGate.Liveness;
global using PostureGate.Net;
