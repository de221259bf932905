// Enrollment (issue 10 "Device identity"): an endpoint proves it holds a key (its CSR) and has
// the admin's permission — an invitation code, or an admin's approval of a pending request —
// and gets a certificate from the endpoint CA; from then on the client API knows it by that
// certificate. Issuing, the invitation's use, the endpoint's record and the change log entry
// are one transaction: a refusal changes nothing.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Data.Common;
using PostureGate.Ems.Enrollment;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Storage;

/// <summary>An invitation as listed (its secret is never stored).</summary>
public sealed record InviteInfo(string Id, long CreatedAt, long? ExpiresAt, int MaxUses, int Used);

/// <summary>A certificate this EMS issued.</summary>
public sealed record IssuedCertificate(string Serial, string Uid, long NotBefore, long NotAfter, long IssuedAt, long? RevokedAt);

/// <summary>An enrollment without a code, waiting for (or given) an admin's approval.</summary>
public sealed record PendingEnrollment(string Uid, string SpkiSha256, string? Peer, long RequestedAt, long? ApprovedAt);

/// <summary>What an enrollment came to: a certificate, or (Result Ok, no certificate) waiting for approval.</summary>
public sealed record EnrollmentResult(EmsResult Result, X509Certificate2? Certificate)
{
    public bool Pending => Result.Succeeded && Certificate is null;
}

public sealed partial class EmsStore
{
    private const string WithoutCodeKey = "enroll.without_code";
    public const int MaxInviteUses = 1_000_000;
    public const int DefaultMaxPendingEnrollments = 10_000;

    /// <summary>Enrollment requests without a code that may wait for approval at once; a new one
    /// beyond it is refused (a registration flood cannot fill the database or the admin's list).</summary>
    public int MaxPendingEnrollments { get; set; } = DefaultMaxPendingEnrollments;
    /// <summary>How long before its issue an endpoint certificate becomes valid (`--endpoint-cert-backdate`):
    /// the EMS's or a device's clock stepped back by less than this does not make a just-issued
    /// certificate "not yet valid". A day covers a real-time clock kept in local time (up to 14 h off UTC).</summary>
    public TimeSpan CertificateBackdate { get; set; } = EmsOptions.DefaultEndpointCertificateBackdate;

    /// <summary>Whether an enrollment without an invitation code waits for approval (true) or is refused.</summary>
    public bool EnrollmentWithoutCodePending
    {
        get => ReadMeta(WithoutCodeKey) == "pending";
    }

    public EmsResult SetEnrollmentWithoutCode(bool pending) => Write((connection, tx) =>
    {
        var value = pending ? "pending" : "refuse";
        if (ReadMeta(connection, tx, WithoutCodeKey) == value || (!pending && ReadMeta(connection, tx, WithoutCodeKey) is null))
            return new EmsResult(EmsOutcome.Unchanged, null, ReadVersion(connection, tx));
        WriteMeta(connection, tx, WithoutCodeKey, value);
        return new EmsResult(EmsOutcome.Ok, null, ReadVersion(connection, tx));
    });

    /// <summary>A new invitation good for <paramref name="uses"/> enrollments until <paramref name="lifetime"/>
    /// from now (null: no expiry). The code is returned once; only its digest is kept.</summary>
    public (EmsResult Result, string? Code) CreateInvite(int uses, TimeSpan? lifetime)
    {
        if (uses is < 1 or > MaxInviteUses)
            return (EmsResult.Fail(EmsOutcome.Invalid, $"uses must be 1-{MaxInviteUses}"), null);
        if (lifetime is { } l && (l <= TimeSpan.Zero || l > TimeSpan.FromDays(3650)))
            return (EmsResult.Fail(EmsOutcome.Invalid, "expiry must be between 1 second and 10 years"), null);
        var now = Now;
        var code = InviteCode.New();
        var result = Write((connection, tx) =>
        {
            Exec(connection, tx, "INSERT INTO invites(id, secret_sha256, created_at, expires_at, max_uses) VALUES ($id, $h, $now, $exp, $uses);",
                ("$id", code.Id), ("$h", code.SecretDigest()), ("$now", now),
                ("$exp", lifetime is { } t ? now + (long)t.TotalSeconds : null), ("$uses", uses));
            return new EmsResult(EmsOutcome.Ok, code.Id, ReadVersion(connection, tx));
        });
        return (result, result.Succeeded ? code.ToString() : null);
    }

    public IReadOnlyList<InviteInfo> ListInvites()
    {
        using var connection = Database.Open();
        using var command = Command(connection, null, "SELECT id, created_at, expires_at, max_uses, used FROM invites ORDER BY created_at, id;");
        using var reader = command.ExecuteReader();
        var list = new List<InviteInfo>();
        while (reader.Read())
            list.Add(new InviteInfo(reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetInt32(3), reader.GetInt32(4)));
        return list;
    }

    public EmsResult DeleteInvite(string id) => Write((connection, tx) =>
        Exec(connection, tx, "DELETE FROM invites WHERE id = $id;", ("$id", id)) == 0
            ? EmsResult.Fail(EmsOutcome.NotFound, $"no invitation {id}")
            : new EmsResult(EmsOutcome.Ok, null, ReadVersion(connection, tx)));

    /// <summary>Enrolls the endpoint of <paramref name="request"/>: with <paramref name="inviteCode"/>, or
    /// without one when this EMS lets such requests wait for approval. A device that already holds a
    /// valid certificate for the same key gets a new one without a code (a retry after a lost answer).</summary>
    public EnrollmentResult Enroll(SigningRequest request, string? inviteCode, string? peer, EndpointCertificateAuthority ca, TimeSpan lifetime)
        => IssueUnless(request, ca, lifetime, (connection, tx, now) =>
        {
            var valid = new List<string>();
            using (var command = Command(connection, tx,
                "SELECT spki_sha256 FROM certificates WHERE uid = $u AND revoked_at IS NULL AND not_after > $now;", ("$u", request.Uid), ("$now", now)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                    valid.Add(reader.GetString(0));
            }
            if (valid.Contains(request.SpkiSha256, StringComparer.Ordinal))
                return null;
            if (valid.Count > 0)
                return EmsResult.Fail(EmsOutcome.Conflict,
                    $"endpoint {request.Uid} is already enrolled with another key; an admin must revoke it first (pgate ems endpoint revoke {request.Uid})");
            return inviteCode is not null ? UseInvite(connection, tx, inviteCode, now) : WaitForApproval(connection, tx, request, peer, now, MaxPendingEnrollments);
        });

    /// <summary>A new certificate for an enrolled endpoint that authenticated with its current one.</summary>
    public EnrollmentResult Renew(SigningRequest request, EndpointCertificateAuthority ca, TimeSpan lifetime)
        => IssueUnless(request, ca, lifetime, (connection, tx, _) =>
            ReadEndpoint(connection, tx, request.Uid) is null ? EmsResult.Fail(EmsOutcome.NotFound, $"endpoint {request.Uid} is not enrolled") : null);

    /// <summary>One transaction: <paramref name="admit"/> returns the answer to give instead (a refusal,
    /// or pending), or null to issue the certificate.</summary>
    private EnrollmentResult IssueUnless(SigningRequest request, EndpointCertificateAuthority ca, TimeSpan lifetime,
        Func<DbConnection, DbTransaction, long, EmsResult?> admit)
    {
        var now = Now;
        X509Certificate2? issued = null;
        var result = Write((connection, tx) =>
        {
            if (admit(connection, tx, now) is { } answer)
                return answer;
            issued = IssueInTransaction(connection, tx, request, ca, lifetime, now, out var version);
            return new EmsResult(EmsOutcome.Ok, null, version);
        });
        if (!result.Succeeded)
        {
            issued?.Dispose();
            issued = null;
        }
        return new EnrollmentResult(result, issued);
    }

    public IssuedCertificate? FindCertificate(string serial)
    {
        using var connection = Database.Open();
        using var command = Command(connection, null,
            "SELECT serial, uid, not_before, not_after, issued_at, revoked_at FROM certificates WHERE serial = $s;", ("$s", serial));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadCertificate(reader) : null;
    }

    /// <summary>The certificates issued to <paramref name="uid"/>, oldest first.</summary>
    public IReadOnlyList<IssuedCertificate> ListCertificates(string uid)
    {
        using var connection = Database.Open();
        using var command = Command(connection, null,
            "SELECT serial, uid, not_before, not_after, issued_at, revoked_at FROM certificates WHERE uid = $u ORDER BY issued_at, serial;", ("$u", uid));
        using var reader = command.ExecuteReader();
        var list = new List<IssuedCertificate>();
        while (reader.Read())
            list.Add(ReadCertificate(reader));
        return list;
    }

    private static IssuedCertificate ReadCertificate(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5));

    public IReadOnlyList<PendingEnrollment> ListPendingEnrollments()
    {
        using var connection = Database.Open();
        using var command = Command(connection, null, "SELECT uid, spki_sha256, peer, requested_at, approved_at FROM pending_enrollments ORDER BY requested_at, uid;");
        using var reader = command.ExecuteReader();
        var list = new List<PendingEnrollment>();
        while (reader.Read())
            list.Add(new PendingEnrollment(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        return list;
    }

    /// <summary>`pgate ems endpoint approve UID`: the pending request of that UID gets its certificate when the client asks again.</summary>
    public EmsResult ApproveEnrollment(string uid)
    {
        if (!EndpointUid.TryNormalize(uid, out var normalized))
            return EmsResult.Fail(EmsOutcome.Invalid, "uid must be 32 hexadecimal digits");
        var now = Now;
        return Write((connection, tx) =>
        {
            using var command = Command(connection, tx, "SELECT approved_at FROM pending_enrollments WHERE uid = $u;", ("$u", normalized));
            var approved = command.ExecuteScalar();
            if (approved is null)
                return EmsResult.Fail(EmsOutcome.NotFound, $"no pending enrollment for {normalized}");
            if (approved is long)
                return new EmsResult(EmsOutcome.Unchanged, null, ReadVersion(connection, tx));
            Exec(connection, tx, "UPDATE pending_enrollments SET approved_at = $now WHERE uid = $u;", ("$now", now), ("$u", normalized));
            return new EmsResult(EmsOutcome.Ok, null, ReadVersion(connection, tx));
        });
    }

    /// <summary>`pgate ems endpoint revoke UID`: every certificate of the endpoint is revoked, a pending
    /// request dropped, and the endpoint removed — gateways hear `certificate.revoked` (the serials: refused in
    /// IKE_AUTH, their tunnels deleted), then `endpoint.deleted` (its tunnels re-judged).</summary>
    public EmsResult RevokeEndpoint(string uid)
    {
        if (!EndpointUid.TryNormalize(uid, out var normalized))
            return EmsResult.Fail(EmsOutcome.Invalid, "uid must be 32 hexadecimal digits");
        var now = Now;
        return Write((connection, tx) =>
        {
            var serials = new List<string>();
            using (var command = Command(connection, tx, "SELECT serial FROM certificates WHERE uid = $u AND revoked_at IS NULL ORDER BY serial;", ("$u", normalized)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                    serials.Add(reader.GetString(0));
            }
            var certificates = Exec(connection, tx, "UPDATE certificates SET revoked_at = $now WHERE uid = $u AND revoked_at IS NULL;", ("$now", now), ("$u", normalized));
            var pending = Exec(connection, tx, "DELETE FROM pending_enrollments WHERE uid = $u;", ("$u", normalized));
            var endpoints = Exec(connection, tx, "DELETE FROM endpoints WHERE uid = $u;", ("$u", normalized));
            if (certificates + pending + endpoints == 0)
                return EmsResult.Fail(EmsOutcome.NotFound, $"no endpoint, certificate or pending enrollment for {normalized}");
            var version = ReadVersion(connection, tx);
            // The certificates first: a gateway refuses the device before it re-judges the endpoint's tunnels.
            if (serials.Count > 0)
                version = AppendChange(connection, tx, now, ChangeKinds.CertificateRevoked, normalized, JsonSerializer.Serialize(new { uid = normalized, serials }));
            if (endpoints > 0)
                version = AppendChange(connection, tx, now, ChangeKinds.EndpointDeleted, normalized, JsonSerializer.Serialize(new { uid = normalized, reason = "revoked" }));
            return new EmsResult(EmsOutcome.Ok, $"{certificates} certificate(s) revoked", version);
        });
    }

    private static EmsResult? UseInvite(DbConnection connection, DbTransaction tx, string text, long now)
    {
        const string invalid = "the invitation code is not valid";
        if (!InviteCode.TryParse(text, out var code))
            return EmsResult.Fail(EmsOutcome.Forbidden, invalid);
        byte[] secret;
        long? expiresAt;
        int maxUses, used;
        using (var command = Command(connection, tx, "SELECT secret_sha256, expires_at, max_uses, used FROM invites WHERE id = $id;", ("$id", code.Id)))
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
                return EmsResult.Fail(EmsOutcome.Forbidden, invalid);
            secret = (byte[])reader.GetValue(0);
            expiresAt = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            maxUses = reader.GetInt32(2);
            used = reader.GetInt32(3);
        }
        if (!CryptographicOperations.FixedTimeEquals(secret, code.SecretDigest()))
            return EmsResult.Fail(EmsOutcome.Forbidden, invalid);
        // Only the holder of the secret learns why a real invitation no longer works.
        if (expiresAt is { } expiry && expiry <= now)
            return EmsResult.Fail(EmsOutcome.Forbidden, $"invitation {code.Id} expired at {DateTimeOffset.FromUnixTimeSeconds(expiry):u}");
        if (used >= maxUses)
            return EmsResult.Fail(EmsOutcome.Forbidden, $"invitation {code.Id} has been used {used} of {maxUses} times");
        Exec(connection, tx, "UPDATE invites SET used = used + 1 WHERE id = $id;", ("$id", code.Id));
        return null;
    }

    /// <summary>Null when an approved request of the same key may proceed; otherwise the answer to give.</summary>
    private static EmsResult? WaitForApproval(DbConnection connection, DbTransaction tx, SigningRequest request, string? peer, long now, int maxPending)
    {
        if (ReadMeta(connection, tx, WithoutCodeKey) != "pending")
            return EmsResult.Fail(EmsOutcome.Forbidden, "this EMS enrolls endpoints only with an invitation code (pgate ems invite create)");
        using var command = Command(connection, tx, "SELECT spki_sha256, approved_at FROM pending_enrollments WHERE uid = $u;", ("$u", request.Uid));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            reader.Close();
            using (var waiting = Command(connection, tx, "SELECT COUNT(*) FROM pending_enrollments WHERE approved_at IS NULL;"))
            {
                if ((long)waiting.ExecuteScalar()! >= maxPending)
                    return EmsResult.Fail(EmsOutcome.Forbidden,
                        $"{maxPending} enrollment requests already wait for approval; an admin must approve or revoke some first");
            }
            Exec(connection, tx, "INSERT INTO pending_enrollments(uid, spki_sha256, peer, requested_at) VALUES ($u, $k, $p, $now);",
                ("$u", request.Uid), ("$k", request.SpkiSha256), ("$p", peer), ("$now", now));
            return new EmsResult(EmsOutcome.Ok, "pending", ReadVersion(connection, tx));
        }
        if (reader.GetString(0) != request.SpkiSha256)
            return EmsResult.Fail(EmsOutcome.Conflict, $"endpoint {request.Uid} already has a pending enrollment with another key");
        var approved = !reader.IsDBNull(1);
        reader.Close();
        if (!approved)
            return new EmsResult(EmsOutcome.Unchanged, "pending", ReadVersion(connection, tx));
        Exec(connection, tx, "DELETE FROM pending_enrollments WHERE uid = $u;", ("$u", request.Uid));
        return null;
    }

    private X509Certificate2 IssueInTransaction(DbConnection connection, DbTransaction tx, SigningRequest request,
        EndpointCertificateAuthority ca, TimeSpan lifetime, long now, out long version)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(now);
        var certificate = ca.Issue(request.Uid, request.PublicKey, EndpointCertificateAuthority.NewSerial(), at - CertificateBackdate, at + lifetime);
        try
        {
            var serial = certificate.SerialNumber;
            Exec(connection, tx, """
                INSERT INTO certificates(serial, uid, spki_sha256, not_before, not_after, issued_at)
                VALUES ($s, $u, $k, $nb, $na, $now);
                """, ("$s", serial), ("$u", request.Uid), ("$k", request.SpkiSha256),
                ("$nb", new DateTimeOffset(certificate.NotBefore.ToUniversalTime()).ToUnixTimeSeconds()),
                ("$na", new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).ToUnixTimeSeconds()), ("$now", now));
            var before = ReadEndpoint(connection, tx, request.Uid);
            Exec(connection, tx, """
                INSERT INTO endpoints(uid, ztna_cert_sn, registered_at, last_seen) VALUES ($u, $s, $now, $now)
                ON CONFLICT(uid) DO UPDATE SET ztna_cert_sn = excluded.ztna_cert_sn, last_seen = excluded.last_seen, offline_logged = 0;
                """, ("$u", request.Uid), ("$s", serial), ("$now", now));
            var after = ReadEndpoint(connection, tx, request.Uid)!;
            ApplyRules(connection, tx, after);
            after = ReadEndpoint(connection, tx, request.Uid)!;
            version = AppendChange(connection, tx, now, before is null ? ChangeKinds.EndpointRegistered : ChangeKinds.EndpointUpdated,
                after.Uid, EndpointJson.ToJson(after, now, OnlineSeconds, includeFacts: false));
            return certificate;
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }
}
