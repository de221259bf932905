// FORTICLIENT_CONNECT notify body (private status type 0xF100, see PrivateNotifies).
// No public specification; layout observed in FortiOS debug output ("received FCT data len =
// 309, data = 'VER=1\nFCTVER=…'"): ASCII KEY=value lines separated by LF, the whole body
// NUL-terminated (308 text bytes + 1). We accept CR/LF, ignore unknown keys, and bound sizes;
// anything else is refused without throwing.
using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PostureGate.Posture;

public static class FortiClientConnectBody
{
    public const int MaxBodyBytes = 4096;
    public const int MaxValueLength = 255;
    public const int MaxMacs = 32;
    public const int UidLength = 32;

    public enum Error
    {
        None,
        Empty,
        TooLong,
        NotText,
        DuplicateKey,
        MissingUid,
        BadUid,
        BadIp,
        ValueTooLong,
    }

    /// <summary>Parses <paramref name="body"/>; on failure <paramref name="info"/> is null and <paramref name="error"/> says why.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out FortiClientConnectInfo? info, out Error error)
    {
        info = null;
        if (body.Length > MaxBodyBytes)
        {
            error = Error.TooLong;
            return false;
        }
        // The C string terminator (and padding some clients add).
        body = body.TrimEnd((byte)0);
        if (body.IsEmpty)
        {
            error = Error.Empty;
            return false;
        }
        // Text only: tab, CR, LF and printable ASCII/UTF-8; an embedded NUL or control byte is junk.
        foreach (var b in body)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\r' or (byte)'\n') || b == 0x7F)
            {
                error = Error.NotText;
                return false;
            }
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            error = Error.NotText;
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? uid = null, ver = null, fctVer = null, host = null, user = null, osVer = null, emsSn = null, emsId = null;
        IPAddress? ip = null;
        int? regStatus = null;
        var fctTags = false;
        List<string> macs = [];
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var eq = line.IndexOf('=');
            if (eq <= 0)
                continue;
            var key = line[..eq].Trim().ToUpperInvariant();
            var value = line[(eq + 1)..].Trim();
            if (value.Length > MaxValueLength && key != "MAC")
            {
                error = Error.ValueTooLong;
                return false;
            }
            if (!IsKnown(key))
                continue;
            // Two different UID= or IP= lines are an ambiguity an attacker could exploit.
            if (!seen.Add(key))
            {
                error = Error.DuplicateKey;
                return false;
            }
            switch (key)
            {
                case "UID":
                    if (value.Length != UidLength || !value.AsSpan().ContainsOnlyHex())
                    {
                        error = Error.BadUid;
                        return false;
                    }
                    uid = value.ToUpperInvariant();
                    break;
                case "IP":
                    if (!IPAddress.TryParse(value, out ip) || ip.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6) || value.Contains('%'))
                    {
                        error = Error.BadIp;
                        return false;
                    }
                    break;
                case "MAC":
                    foreach (var mac in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (macs.Count == MaxMacs)
                            break;
                        if (mac.Length <= 32)
                            macs.Add(mac);
                    }
                    break;
                case "VER": ver = value; break;
                case "FCTVER": fctVer = value; break;
                case "HOST": host = value; break;
                case "USER": user = value; break;
                case "OSVER": osVer = value; break;
                case "EMSSN": emsSn = value; break;
                case "EMSID": emsId = value; break;
                case "REG_STATUS":
                    regStatus = int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : null;
                    break;
                case "FCTTAGS": fctTags = value == "1"; break;
            }
        }
        if (uid is null)
        {
            error = Error.MissingUid;
            return false;
        }
        info = new FortiClientConnectInfo
        {
            Uid = uid,
            Version = ver,
            FctVersion = fctVer,
            Ip = ip,
            Macs = macs,
            Host = host,
            User = user,
            OsVersion = osVer,
            RegistrationStatus = regStatus,
            EmsSerial = emsSn,
            EmsTenantId = emsId,
            SendsTagToken = fctTags,
        };
        error = Error.None;
        return true;
    }

    /// <summary>The body our initiator sends: LF lines in FortiClient's order, NUL-terminated.</summary>
    public static byte[] Build(FortiClientConnectInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var sb = new StringBuilder();
        void Line(string key, string? value)
        {
            if (value is null)
                return;
            if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
                throw new ArgumentException($"{key} must not contain line breaks or NUL", nameof(info));
            sb.Append(key).Append('=').Append(value).Append('\n');
        }
        Line("VER", info.Version ?? "1");
        Line("FCTVER", info.FctVersion);
        Line("UID", info.Uid);
        Line("IP", info.Ip?.ToString());
        Line("MAC", info.Macs.Count == 0 ? null : string.Concat(info.Macs.Select(m => m + ";")));
        Line("HOST", info.Host);
        Line("USER", info.User);
        Line("OSVER", info.OsVersion);
        Line("REG_STATUS", info.RegistrationStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Line("EMSSN", info.EmsSerial);
        Line("EMSID", info.EmsTenantId);
        Line("FCTTAGS", info.SendsTagToken ? "1" : "0");
        var bytes = new byte[Encoding.UTF8.GetByteCount(sb.ToString()) + 1];
        Encoding.UTF8.GetBytes(sb.ToString(), bytes);
        if (bytes.Length > MaxBodyBytes)
            throw new ArgumentException("body exceeds the size limit", nameof(info));
        return bytes;
    }

    /// <summary>The text part for the debug line "received FCT data len = N, data = '…'".</summary>
    public static string ToDebugText(ReadOnlySpan<byte> body)
    {
        var trimmed = body[..Math.Min(body.Length, MaxBodyBytes)].TrimEnd((byte)0);
        var chars = new char[trimmed.Length];
        for (var i = 0; i < trimmed.Length; i++)
            chars[i] = trimmed[i] is (byte)'\n' or (byte)'\r' or (>= 0x20 and < 0x7F) ? (char)trimmed[i] : '.';
        return new string(chars);
    }

    private static readonly FrozenSet<string> Known = new[]
        { "VER", "FCTVER", "UID", "IP", "MAC", "HOST", "USER", "OSVER", "REG_STATUS", "EMSSN", "EMSID", "FCTTAGS" }.ToFrozenSet(StringComparer.Ordinal);

    private static bool IsKnown(string key) => Known.Contains(key);

    internal static bool ContainsOnlyHex(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
                return false;
        }
        return true;
    }
}
