// One line and one exit code for each way `pgate client connect` can fail before IKE: the
// EMS (RFC 8446 §4.4.2 certificate pinned by SHA-256 fingerprint), DNS for --gateway. The line
// names the problem and what to check; permanent failures are not retried.
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace PostureGate.Client;

/// <summary>A failure that ends the client with <see cref="ExitCode"/>; <see cref="Permanent"/> ones are never retried.</summary>
public sealed class ClientFailure(int exitCode, string message, bool permanent) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public bool Permanent { get; } = permanent;

    /// <summary>Bytes of a SHA-256 fingerprint.</summary>
    private const int FingerprintBytes = 32;

    /// <summary>--ems needs --ems-fingerprint (the EMS's certificate is self-signed), 32 bytes in hex, colons or spaces allowed.</summary>
    public static ClientFailure? CheckFingerprint(Uri? ems, string? fingerprint)
    {
        if (ems is null)
            return null;
        if (fingerprint is null)
            return new ClientFailure(ClientExitCodes.Usage,
                "--ems needs --ems-fingerprint: the SHA-256 fingerprint of the EMS certificate (`pgate ems` prints it at start as \"certificate fingerprint (SHA-256)\")", true);
        var hex = fingerprint.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (hex.Length != FingerprintBytes * 2 || !hex.All(Uri.IsHexDigit))
            return new ClientFailure(ClientExitCodes.Usage,
                $"--ems-fingerprint: not a SHA-256 fingerprint (expected {FingerprintBytes} hex bytes such as 3F:A1:…, got {Math.Min(hex.Length, 200).ToString(CultureInfo.InvariantCulture)} characters)", true);
        return null;
    }

    /// <summary>An EMS call's failure as the user should read it; null for one that is not the EMS's.</summary>
    public static ClientFailure? FromEms(Exception e, Uri ems)
    {
        if (e is ClientFailure f)
            return f;
        if (e is HttpRequestException h && Inner<AuthenticationException>(h) is not null)
            return new ClientFailure(ClientExitCodes.EmsFingerprintMismatch,
                $"the EMS at {ems} did not present the certificate --ems-fingerprint names; check the fingerprint `pgate ems` printed (a reinstalled EMS has a new one)", true);
        if (e is HttpRequestException { StatusCode: { } status } && (int)status is >= 400 and < 500 && status != HttpStatusCode.RequestTimeout && status != HttpStatusCode.TooManyRequests)
            return new ClientFailure(ClientExitCodes.EmsRefused, $"the EMS at {ems} refused this endpoint: HTTP {(int)status}", true);
        if (e is EmsEnrollmentException ee && ee.Message.Contains("HTTP 4", StringComparison.Ordinal))
            return new ClientFailure(ClientExitCodes.EmsRefused, $"the EMS at {ems} refused this endpoint: {ee.Message}", true);
        if (e is HttpRequestException or TaskCanceledException or EmsEnrollmentException)
        {
            var why = Inner<SocketException>(e) is { } s ? s.Message : e is TaskCanceledException ? "no answer" : e.Message;
            return new ClientFailure(ClientExitCodes.EmsUnreachable,
                $"the EMS at {ems} cannot be reached ({why}); check that it runs, --ems, and that TCP {ems.Port.ToString(CultureInfo.InvariantCulture)} is open to it", false);
        }
        return null;
    }

    /// <summary>--gateway HOST that does not resolve.</summary>
    public static ClientFailure Unresolved(string host, SocketException e) =>
        new(ClientExitCodes.GatewayUnresolved, $"--gateway {host}: the name does not resolve ({e.Message}); check the name and this machine's DNS", true);

    private static T? Inner<T>(Exception e) where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is T t)
                return t;
        }
        return null;
    }
}
