// The one JSON shape of an endpoint, used by the snapshot, the change stream and lookups.
// Field names follow `diagnose endpoint ec-shm list` where it has one.
using System.Text;
using System.Text.Json;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Storage;

internal static class EndpointJson
{
    public static void Write(Utf8JsonWriter writer, EndpointRecord endpoint, long now, long onlineWindowSeconds, bool includeFacts)
    {
        writer.WriteStartObject();
        writer.WriteString("uid"u8, endpoint.Uid);
        writer.WriteString("host"u8, endpoint.Host);
        writer.WriteString("user"u8, endpoint.User);
        writer.WriteString("os"u8, endpoint.Os);
        writer.WriteString("os_version"u8, endpoint.OsVersion);
        writer.WriteString("fct_version"u8, endpoint.FctVersion);
        WriteNullable(writer, "ip"u8, endpoint.Ip);
        writer.WriteStartArray("macs"u8);
        foreach (var mac in endpoint.Macs)
            writer.WriteStringValue(mac);
        writer.WriteEndArray();
        WriteNullable(writer, "public_ip"u8, endpoint.PublicIp);
        writer.WriteString("ztna_cert_sn"u8, endpoint.ZtnaCertSn);
        writer.WriteBoolean("registered"u8, true);
        writer.WriteBoolean("online"u8, now - endpoint.LastSeen <= onlineWindowSeconds);
        writer.WriteNumber("registered_at"u8, endpoint.RegisteredAt);
        writer.WriteNumber("last_seen"u8, endpoint.LastSeen);
        writer.WriteStartArray("tags"u8);
        foreach (var tag in endpoint.Tags)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, tag.Name);
            writer.WriteNumber("type"u8, tag.Type);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (includeFacts)
        {
            writer.WritePropertyName("facts"u8);
            writer.WriteRawValue(endpoint.Facts, skipInputValidation: true);
        }
        writer.WriteEndObject();
    }

    public static string ToJson(EndpointRecord endpoint, long now, long onlineWindowSeconds, bool includeFacts)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, endpoint, now, onlineWindowSeconds, includeFacts);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
            writer.WriteNull(name);
        else
            writer.WriteString(name, value);
    }
}
