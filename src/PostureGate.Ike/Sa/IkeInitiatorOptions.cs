// What the initiator role (`pgate client`, tests) asks for and what it gets back.
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Kernel;

namespace PostureGate.Ike.Sa;

public sealed record IkeInitiatorOptions
{
    /// <summary>Proposals, DH groups, PSK (used to verify the gateway and, without EAP, to authenticate us), child proposals.</summary>
    public required IkePeerConfig Config { get; init; }
    public required IPEndPoint Local { get; init; }
    public required IPEndPoint Remote { get; init; }
    /// <summary>IDi; default: the EAP user as strongSwan would type it, else the local address.</summary>
    public IkeIdentity? Identity { get; init; }
    /// <summary>IDr to request (strongSwan `remote.id`); null sends none.</summary>
    public IkeIdentity? RemoteIdentity { get; init; }
    public string? EapUser { get; init; }
    public string? EapPassword { get; init; }
    public bool RequestAddress { get; init; } = true;
    public bool RequestDns { get; init; } = true;
    /// <summary>TSr to ask for; default 0.0.0.0/0.</summary>
    public IReadOnlyList<Ipv4Subnet> RemoteTs { get; init; } = [Ipv4Subnet.Any];
    /// <summary>Extra notifies for the first IKE_AUTH request (private-use ones such as FortiClient's).</summary>
    public IReadOnlyList<NotifyToSend> AuthNotifies { get; init; } = [];
    /// <summary>With EAP: send <see cref="AuthNotifies"/> in the last IKE_AUTH request (beside AUTH) instead of the first.</summary>
    public bool AuthNotifiesInLastRequest { get; init; }
    public bool InitialContact { get; init; } = true;
    /// <summary>strongSwan `encap = yes`: fake the NAT-D source hash so both ends use UDP encapsulation.</summary>
    public bool ForceEncapsulation { get; init; }
    /// <summary>
    /// The name dialled (an address or DNS name): a signing gateway's certificate must vouch for it as well as for
    /// its IDr (RFC 4945 §3.1), or a certificate from the same CA for another gateway would do. Null: IDr only.
    /// </summary>
    public IkeIdentity? DialledName { get; init; }
    /// <summary>
    /// RFC 5685: announce REDIRECT_SUPPORTED and follow an N(REDIRECT) answering IKE_SA_INIT (to an address it
    /// names, its nonce our Ni, a bounded number of times). False: announce nothing, and a REDIRECT fails the setup.
    /// </summary>
    public bool FollowRedirects { get; init; }
    /// <summary>Told, as a line for the user, of each redirect followed and each forged one ignored.</summary>
    public Action<string>? RedirectNotice { get; init; }
}

public sealed record IkeInitiateResult
{
    public required bool Success { get; init; }
    public string? Error { get; init; }
    /// <summary>The gateway's certificate did not chain to the trusted CAs, or does not name it (<see cref="IkeInitiatorOptions.DialledName"/>).</summary>
    public bool PeerCertificateRejected { get; init; }
    /// <summary>The gateway the SA was established with: <see cref="IkeInitiatorOptions.Remote"/>, or where a redirect led (RFC 5685).</summary>
    public System.Net.IPEndPoint? Gateway { get; init; }
    public string? Instance { get; init; }
    public long Serial { get; init; }
    public ulong SpiI { get; init; }
    public ulong SpiR { get; init; }
    public IPAddress? VirtualIp { get; init; }
    public IPAddress? Netmask { get; init; }
    public IReadOnlyList<IPAddress> Dns { get; init; } = [];
    public IReadOnlyList<Ipv4Subnet> SplitNetworks { get; init; } = [];
    /// <summary>The CHILD_SA as installed (keys included); null when the child failed (see <see cref="ChildError"/>).</summary>
    public ChildSaInstallation? Child { get; init; }
    public string? ChildError { get; init; }
    /// <summary>Notifies of the last IKE_AUTH response (the hook's extra notifies arrive here; on a refusal, the notifies beside the error).</summary>
    public IReadOnlyList<ReceivedNotify> Notifies { get; init; } = [];

    public static IkeInitiateResult Failed(string error) => new() { Success = false, Error = error };
}
