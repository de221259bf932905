// A real `pgate ems` process with its console on, in a throwaway data directory: what it printed at its
// first start (URL, fingerprint, admin API key, the console admin's password file) and ways to fill it —
// endpoints enrolled by `pgate client enroll` with chosen facts, admin accounts by `pgate ems admin add`.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PostureGate.Web.Tests.Ems;

public sealed partial class EmsConsoleProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private EmsConsoleProcess(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public string Url { get; private set; } = "";

    public string Fingerprint { get; private set; } = "";

    public string AdminApiKey { get; private set; } = "";

    /// <summary>The first admin's password, read from the owner-only file the EMS wrote.</summary>
    public string AdminPassword { get; private set; } = "";

    public string ConsoleAdminFile { get; private set; } = "";

    /// <summary>Everything the process printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static async Task<EmsConsoleProcess> StartAsync()
    {
        var data = Directory.CreateTempSubdirectory("pgate-web-ems-").FullName;
        var process = new Process { StartInfo = PgateRun.StartInfo(["ems", "--data", data, "--listen", "https://127.0.0.1:0"]) };
        var ems = new EmsConsoleProcess(process, data);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Line(string? line)
        {
            if (line is null)
                return;
            lock (ems._output)
                ems._output.AppendLine(line);
            if (line.StartsWith("console admin:", StringComparison.Ordinal))
                ready.TrySetResult();
        }
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("pgate ems exited"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        try
        {
            await ready.Task.WaitAsync(StartTimeout);
            ems.ReadBanner();
        }
        catch (Exception e)
        {
            await ems.DisposeAsync();
            throw new InvalidOperationException($"pgate ems did not start: {e.Message}\n{ems.Output}", e);
        }
        return ems;
    }

    private void ReadBanner()
    {
        var text = Output;
        string Field(string label) => Regex.Match(text, $@"(?m)^{Regex.Escape(label)}:? (\S+)\s*$") is { Success: true } m
            ? m.Groups[1].Value : throw new InvalidOperationException($"no '{label}' line");
        Url = Field("EMS listening on");
        Fingerprint = Field("certificate fingerprint (SHA-256)");
        AdminApiKey = Field("admin API key");
        ConsoleAdminFile = AdminFileLine().Match(text).Groups[1].Value;
        AdminPassword = PasswordLine().Match(File.ReadAllText(ConsoleAdminFile)).Groups[1].Value;
    }

    [GeneratedRegex(@"(?m)^console admin: admin, password in (\S+)\s*$")]
    private static partial Regex AdminFileLine();

    [GeneratedRegex(@"(?m)^password: (\S+)\s*$")]
    private static partial Regex PasswordLine();

    /// <summary>`pgate ems admin add NAME --role ROLE --password-file F` against the running EMS's data directory.</summary>
    public async Task AddAdminAsync(string name, string role, string password)
    {
        var file = Path.Combine(DataDirectory, "test-password-" + name);
        await File.WriteAllTextAsync(file, password + "\n");
        await PgateRun.RunAsync("ems", "admin", "add", name, "--role", role, "--password-file", file, "--data", DataDirectory);
    }

    /// <summary>Enrolls an endpoint as a device does: an invitation, then `pgate client enroll` with these facts.</summary>
    public async Task EnrollAsync(string uid, string host, string user, string ip, object? facts = null)
    {
        var invite = await PgateRun.RunAsync("ems", "invite", "create", "--uses", "1", "--expires", "1h", "--data", DataDirectory);
        var code = Regex.Match(invite, @"(?m)^invitation code: (\S+)\s*$").Groups[1].Value;
        var dir = Directory.CreateDirectory(Path.Combine(DataDirectory, "test-device-" + uid)).FullName;
        var inviteFile = Path.Combine(dir, "invite");
        var factsFile = Path.Combine(dir, "facts.json");
        await File.WriteAllTextAsync(inviteFile, code);
        File.SetUnixFileMode(inviteFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(factsFile, JsonSerializer.Serialize(new { host, user, os = "linux", facts = facts ?? new { } }));
        await PgateRun.RunAsync("client", "enroll", "--ems", Url, "--ems-fingerprint", Fingerprint, "--invite-file", inviteFile,
            "--device-dir", dir, "--uid", uid, "--ip", ip, "--facts", factsFile);
    }

    /// <summary>GET on the EMS's admin API with the admin API key: what API clients (and gateways) see.</summary>
    public async Task<JsonDocument> AdminApiAsync(string path)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(Url), Timeout = PgateRun.CommandTimeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminApiKey);
        using var response = await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
