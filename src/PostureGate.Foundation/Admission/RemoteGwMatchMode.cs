// FortiOS phase1-interface `set remote-gw-match {any | ipmask | iprange | geography | ztna}`: how a dial-up peer is admitted.
// One type for the config word and the posture gate that enforces it; member names match the FortiOS words.
namespace PostureGate.Admission;

public enum RemoteGwMatchMode
{
    Any,
    IpMask,
    IpRange,
    Geography,
    Ztna,
}
