// What a refused or revoked user is told (POSTURE_REASON, docs/protocol.md): which tunnel wanted
// which tag and what the device lacks, in words they can act on. Built only from the tunnel's own
// configuration and the device's own state — never the EMS's address, key or internal errors —
// and sent only to a peer that authenticated (the IKE layer calls the gate after AUTH verified).
namespace PostureGate.Posture;

public static class UserReasons
{
    /// <summary>No endpoint UID: the client did not say which device it is.</summary>
    public static PostureReason NoEndpointId(string tunnel) => new(PostureReasonCode.NoEndpointId,
        $"tunnel {tunnel} admits only devices registered with an EMS, and this client sent no endpoint ID: connect with --ems (FortiClient: register with the EMS)");

    /// <summary>ztna-uid-proof: the endpoint named itself but did not authenticate with its device certificate.</summary>
    public static PostureReason UnprovenUid(string tunnel) => new(PostureReasonCode.NoEndpointId,
        $"tunnel {tunnel} admits only devices that prove their identity with their EMS device certificate: connect with --device-cert (enroll first)");

    /// <summary>ems-sn-check: <paramref name="serial"/> null when none was sent.</summary>
    public static PostureReason EmsSerial(string tunnel, string? serial) => new(PostureReasonCode.EmsSerial, serial is null
        ? $"tunnel {tunnel} admits only devices of a trusted EMS, and this client named no EMS: connect with --ems"
        : $"tunnel {tunnel} does not trust EMS {serial}: register this device with the EMS the gateway uses");

    /// <summary>The tag check of a new connection refused it.</summary>
    public static PostureReason Refused(string tunnel, IReadOnlyList<string> tags, string? uid, bool emsUnreachable, TokenRefusal token, bool tokenLacksTags)
    {
        if (tags.Count == 0)
            return new(PostureReasonCode.Other, $"tunnel {tunnel} has no ZTNA tags configured, so it admits no device: tell the administrator");
        var wanted = Wanted(tunnel, tags);
        if (!emsUnreachable)
            return new(PostureReasonCode.TagMissing, $"{wanted}; the EMS gives this device{Device(uid)} none of them: ask your administrator to give it one");
        if (token == TokenRefusal.Expired)
            return new(PostureReasonCode.TokenExpired, $"{wanted}; the EMS did not answer in time and this device's ZTNA token has expired: check the device reaches the EMS, then connect again");
        if (tokenLacksTags)
            return new(PostureReasonCode.TagMissing, $"{wanted}; the EMS did not answer in time and this device's ZTNA token carries none of them");
        if (token is TokenRefusal.Unbound or TokenRefusal.BindingMismatch)
            return new(PostureReasonCode.TokenRefused, $"{wanted}; the EMS did not answer in time and this device's ZTNA token is not bound to the device certificate it authenticated with ({token}): connect with --device-cert and a token fetched with that certificate");
        if (token != TokenRefusal.None)
            return new(PostureReasonCode.TokenRefused, $"{wanted}; the EMS did not answer in time and this device's ZTNA token was refused ({token}): connect again once the EMS answers");
        return new(PostureReasonCode.EmsUnavailable, $"{wanted}; the EMS did not answer in time and the client sent no ZTNA token: connect again in a moment");
    }

    /// <summary>A live tunnel deleted by continuous enforcement (<paramref name="reason"/> is one of <see cref="RevocationReasons"/>).</summary>
    public static PostureReason Revoked(string tunnel, IReadOnlyList<string> tags, string? uid, string reason)
    {
        var wanted = Wanted(tunnel, tags);
        return reason switch
        {
            RevocationReasons.TagRemoved => new(PostureReasonCode.TagMissing,
                $"{wanted}; the EMS no longer gives this device{Device(uid)} any of them: ask your administrator"),
            RevocationReasons.TokenTagsChanged => new(PostureReasonCode.TagMissing,
                $"{wanted}; this device's new ZTNA token carries none of them"),
            RevocationReasons.EmsCannotVouch => new(PostureReasonCode.TokenExpired,
                $"{wanted}; the EMS cannot vouch for this device and its ZTNA token has expired or was not sent: check the device reaches the EMS, then connect again"),
            _ => new(PostureReasonCode.Other, $"{wanted}; the gateway no longer admits this device"),
        };
    }

    /// <summary>The device certificate this tunnel was authenticated with was revoked.</summary>
    public static PostureReason CertificateRevoked(string tunnel) => new(PostureReasonCode.Other,
        $"tunnel {tunnel}: this device's certificate was revoked by the EMS administrator; it must be enrolled again before it can connect");

    // "tunnel dialup_0 admits devices with tag a or all_registered_clients": the names the EMS shows.
    private static string Wanted(string tunnel, IReadOnlyList<string> tags)
    {
        var names = tags.Select(t => DynamicAddressName.TryParse(t, out var n) ? n.Tag : t).Distinct(StringComparer.Ordinal).ToArray();
        return $"tunnel {tunnel} admits devices with tag {string.Join(" or ", names)}";
    }

    private static string Device(string? uid) => uid is null ? "" : $" ({uid})";
}
