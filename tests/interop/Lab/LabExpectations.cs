using System.Net;
using System.Text.RegularExpressions;

namespace PostureGate.Interop.Tests.Lab;

/// <summary>What the interop tests look for, shared by the harness check and the pgate tests so
/// both judge the same thing.</summary>
public static partial class LabExpectations
{
    /// <summary>charon.fragment_size that splits the client's ~320-byte first IKE_AUTH request.</summary>
    public const int SmallFragmentSize = 280;

    /// <summary>Bytes of the TCP transfers ("several MB").</summary>
    public const int TransferBytes = 4 * 1024 * 1024;

    /// <summary>Longest wait for a lifetime-driven rekey (conn rekey: IKE 8 s, CHILD 4 s).</summary>
    public static readonly TimeSpan RekeyWait = TimeSpan.FromSeconds(25);

    /// <summary>A client conn (loaded through <see cref="ClientOptions.ExtraSwanctlConf"/>) whose only
    /// IKE proposal, AES-CBC-192/SHA-512/MODP-3072, neither gateway is configured for.</summary>
    public const string UnofferedConn = "unoffered";

    public const string UnofferedConf = """
        connections {
            unoffered : connections.dialup {
                proposals = aes192-sha512-modp3072
            }
        }
        """;

    /// <summary>charon's log line for an IKE_SA_INIT answered with N(NO_PROPOSAL_CHOSEN).</summary>
    public const string NoProposalChosen = "received NO_PROPOSAL_CHOSEN notify error";

    /// <summary>The gateway's mode-cfg range 192.0.2.200-192.0.2.254.</summary>
    public static bool InPool(string address) =>
        IPAddress.TryParse(address, out var a) && a.GetAddressBytes() is [192, 0, 2, >= 200 and <= 254];

    public static bool NamespaceExists(string name) => File.Exists($"/run/netns/{name}");

    /// <summary>A refused EAP-MSCHAPv2 login as the strongSwan client logs it: the MSCHAPv2
    /// failure packet, an EAP-Failure, or an AUTHENTICATION_FAILED notify, depending on which
    /// side gives up first.</summary>
    [GeneratedRegex("ERROR_AUTHENTICATION_FAILURE|EAP_MSCHAPV2 method failed|received EAP_FAILURE|AUTHENTICATION_FAILED|AUTH_FAILED")]
    public static partial Regex AuthFailure();

    /// <summary>charon's log line when it sends a message as RFC 7383 fragments.</summary>
    [GeneratedRegex(@"splitting IKE message \(\d+ bytes\) into (\d+) fragments")]
    public static partial Regex FragmentSplit();

    /// <summary>How many fragments the client split its largest message into (0: none).</summary>
    public static int FragmentsSent(string clientLog) =>
        FragmentSplit().Matches(clientLog).Select(m => int.Parse(m.Groups[1].Value)).DefaultIfEmpty(0).Max();
}
