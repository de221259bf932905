// Builds FortiOS `config endpoint-control fctems` entries (EMS connectors) into the model, checking required attributes.
using System.Globalization;
using PostureGate.Config.Binding;
using PostureGate.Config.Model;
using PostureGate.Config.Schema;

namespace PostureGate.Config.Building;

internal sealed partial class ModelBuilder
{
    private OrderedMap<FctEms> _ems = new();

    private FctEms? BuildFctEms(BoundEntry e)
    {
        var ok = true;
        var enabled = Bool(e, FctEmsSchema.Status);
        if (enabled)
            Require(e, FctEmsSchema.Server, " for 'status enable'", ref ok);
        // EMS serial numbers read "FCTEMS" + digits (the seed's "FCTEMS8826000120").
        if (Str(e, FctEmsSchema.SerialNumber) is { } sn && !IsEmsSerial(sn))
        {
            ok = false;
            _d.Error(e.SpanOfValue(FctEmsSchema.SerialNumber), $"'serial-number' must be 'FCTEMS' followed by digits, not '{sn}'");
        }
        if (!ok)
            return null;
        return new FctEms
        {
            Span = e.Span,
            Id = int.Parse(e.Name!, CultureInfo.InvariantCulture),
            Name = Str(e, FctEmsSchema.Name),
            Server = Str(e, FctEmsSchema.Server),
            HttpsPort = Int(e, FctEmsSchema.HttpsPort),
            SerialNumber = Str(e, FctEmsSchema.SerialNumber),
            TenantId = Str(e, FctEmsSchema.TenantId),
            CertificateFingerprint = Str(e, FctEmsSchema.CertificateFingerprint),
            ApiKey = SecretOf(e, FctEmsSchema.ApiKey),
            CallTimeout = Seconds(e, FctEmsSchema.CallTimeout),
            OutOfSyncThreshold = Seconds(e, FctEmsSchema.OutOfSyncThreshold),
            PullTags = Bool(e, FctEmsSchema.PullTags),
            Enabled = enabled,
        };
    }

    private static bool IsEmsSerial(string sn) =>
        sn.Length > 6 && sn.StartsWith("FCTEMS", StringComparison.Ordinal) && !sn.AsSpan(6).ContainsAnyExceptInRange('0', '9');
}
