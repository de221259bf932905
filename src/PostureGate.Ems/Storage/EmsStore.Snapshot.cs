// The gateway's full snapshot: every endpoint with IP, MACs, UID, tags and online status, plus
// the tag definitions and the endpoint CA's revoked certificates still within their validity (a
// gateway that missed `certificate.revoked` learns them here), all read in one transaction so it
// matches exactly the version it carries.
// Written straight to the output stream (100k endpoints are ~40 MB of JSON; no buffering of it).
using System.IO.Pipelines;
using System.Text.Json;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Storage;

public sealed partial class EmsStore
{
    private const int FlushEvery = 64 * 1024;

    /// <summary>Writes the snapshot; returns the version it reflects. <paramref name="endpointCaKey"/>: the
    /// endpoint CA's key id (<see cref="Enrollment.EndpointCertificateAuthority.KeyId"/>), which the revoked serials belong to.</summary>
    public async Task<long> WriteSnapshotAsync(Stream output, string? endpointCaKey = null, CancellationToken cancellationToken = default)
    {
        var pipe = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        var version = await WriteSnapshotAsync(pipe, endpointCaKey, cancellationToken);
        await pipe.CompleteAsync();
        return version;
    }

    internal async Task<long> WriteSnapshotAsync(PipeWriter pipe, string? endpointCaKey, CancellationToken cancellationToken)
    {
        using var writer = new Utf8JsonWriter(pipe, new JsonWriterOptions { SkipValidation = true });
        var now = Now;
        using var connection = Database.Open();
        // A read transaction sees one state (a WAL snapshot; REPEATABLE READ): version, tags and endpoints agree.
        using var tx = Database.Dialect.BeginRead(connection);
        var version = ReadVersion(connection, tx);
        writer.WriteStartObject();
        writer.WriteNumber("version"u8, version);
        writer.WriteString("ems_sn"u8, ReadMeta(connection, tx, SerialKey));
        writer.WriteString("ems_tenant_id"u8, ReadMeta(connection, tx, TenantKey));
        writer.WriteNumber("generated_at"u8, now);
        writer.WriteNumber("online_window"u8, OnlineSeconds);
        writer.WriteStartArray("tags"u8);
        using (var command = Command(connection, tx, "SELECT name, type, expression FROM tags ORDER BY name;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                writer.WriteStartObject();
                writer.WriteString("name"u8, reader.GetString(0));
                writer.WriteNumber("type"u8, reader.GetInt32(1));
                writer.WriteEndObject();
            }
        }
        writer.WriteEndArray();
        if (endpointCaKey is not null)
            writer.WriteString("endpoint_ca_key"u8, endpointCaKey);
        writer.WriteStartArray("revoked_certificates"u8);
        using (var command = Command(connection, tx,
            "SELECT serial, uid FROM certificates WHERE revoked_at IS NOT NULL AND not_after > $now ORDER BY serial;", ("$now", now)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                writer.WriteStartObject();
                writer.WriteString("serial"u8, reader.GetString(0));
                writer.WriteString("uid"u8, reader.GetString(1));
                writer.WriteEndObject();
            }
        }
        writer.WriteEndArray();
        writer.WriteStartArray("endpoints"u8);
        foreach (var endpoint in ReadAllEndpoints(connection, tx))
        {
            EndpointJson.Write(writer, endpoint, now, OnlineSeconds, includeFacts: false);
            if (writer.BytesPending > FlushEvery)
            {
                writer.Flush();
                await pipe.FlushAsync(cancellationToken);
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        await pipe.FlushAsync(cancellationToken);
        tx.Commit();
        return version;
    }
}
