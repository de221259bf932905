// What FortiOS's ike debug prints as it processes FortiClient's IKE_AUTH notifies (no public
// specification; the seed's debug output): FORTICLIENT_CONNECT's text, then the UID, EMS serial
// and tenant it names; ZTNA_TAG's token (its signature elided). The IKE layer writes these where
// it processes the notify, before any posture decision.
namespace PostureGate.Posture;

public static class NotifyDebugText
{
    /// <summary>The lines after "processing notify type NAME" for a notify of <paramref name="type"/>.</summary>
    public static IEnumerable<string> Describe(ushort type, byte[] data)
    {
        switch (type)
        {
            case PrivateNotifies.FortiClientConnect:
                yield return $"received FCT data len = {data.Length}, data = '{FortiClientConnectBody.ToDebugText(data)}'";
                if (!FortiClientConnectBody.TryParse(data, out var info, out var error))
                {
                    yield return $"malformed FORTICLIENT_CONNECT: {error}";
                    yield break;
                }
                yield return $"received FCT-UID : {info!.Uid}";
                if (info.EmsSerial is not null)
                    yield return $"received EMS SN : {info.EmsSerial}";
                if (info.EmsTenantId is not null)
                    yield return $"received EMS tenant ID : {info.EmsTenantId}";
                break;
            case PrivateNotifies.ZtnaTag:
                yield return $"received ZTNA tags update token (len={data.Length}) data={PostureGateKeeper.RedactToken(data)}";
                break;
        }
    }

    /// <summary>ZTNA_TAG belongs to the tunnel (FortiClient re-sends it in INFORMATIONAL on tag changes): FortiOS logs it under the instance's name.</summary>
    public static bool IsTunnelNotify(ushort type) => type == PrivateNotifies.ZtnaTag;
}
