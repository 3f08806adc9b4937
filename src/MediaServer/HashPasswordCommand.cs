using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MediaServer.Core.Access;

namespace MediaServer;

/// <summary>
/// <c>MediaServer hash-password [--user NAME] [--realm REALM] [--ConfigPath=FILE] [PASSWORD]</c>:
/// the stored forms of a password for <c>Auth:Users</c>, read from the argument or standard input.
/// Without <c>--user</c> it prints the PBKDF2 value alone, as it always did; with it, every form,
/// one per line as <c>FORM&lt;TAB&gt;VALUE</c>, then the user's entry as JSON. The Digest forms hash
/// the user name and realm with the password, so they need both; the realm is <c>--realm</c>, else
/// <c>Auth:Realm</c> of the configuration the server would read (file, MEDIASERVER__ variables,
/// <c>--Auth:Realm=</c>), else the default.
/// </summary>
internal static class HashPasswordCommand
{
    public static int Run(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        string? user = null;
        string? realm = null;
        string? password = null;
        var configArgs = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            string arg = args[i];
            if (TryOption(args, ref i, "--user", out string? value))
            {
                user = value;
            }
            else if (TryOption(args, ref i, "--realm", out value))
            {
                realm = value;
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                configArgs.Add(arg);
            }
            else if (password is null)
            {
                password = arg;
            }
            else
            {
                error.WriteLine("Usage: MediaServer hash-password [--user NAME] [--realm REALM] [--ConfigPath=FILE] [PASSWORD] (else the password is read from standard input)");
                return 2;
            }
        }

        if (user is "" || realm is "")
        {
            error.WriteLine("hash-password: --user and --realm need a value");
            return 2;
        }

        password ??= input.ReadToEnd();
        password = password.TrimEnd('\r', '\n');
        string pbkdf2 = PasswordVerifier.Hash(password);
        if (user is null)
        {
            output.WriteLine(pbkdf2);
            error.WriteLine("hash-password: give --user NAME for the Digest forms (digest-sha256, digest-md5) that RTSP players and cameras need.");
            return 0;
        }

        try
        {
            realm ??= ConfiguredRealm([.. configArgs]);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException)
        {
            error.WriteLine($"hash-password: cannot read the realm from the configuration ({e.Message}); give --realm");
            return 2;
        }

        string sha256 = StoredPassword.FormatDigest(DigestAlgorithm.Sha256, user, realm, password);
        string md5 = StoredPassword.FormatDigest(DigestAlgorithm.Md5, user, realm, password);
        output.WriteLine($"# Stored forms of the password of user '{user}' for realm '{realm}' (Auth:Realm). Paste one as \"Password\"");
        output.WriteLine("# and any others into \"Passwords\"; a Digest form works only while Auth:Realm stays the same.");
        output.WriteLine("# pbkdf2: Basic over RTSP and HTTP (WHEP, API, player); no Digest. The strongest against a stolen file.");
        output.WriteLine("# digest-sha256: RTSP Digest SHA-256, and Basic. Logs in over Digest as the password would: keep it secret.");
        output.WriteLine("# digest-md5: RTSP Digest MD5 (what ffmpeg and GStreamer answer), and Basic. Also password-equivalent for Digest.");
        output.WriteLine($"pbkdf2\t{pbkdf2}");
        output.WriteLine($"digest-sha256\t{sha256}");
        output.WriteLine($"digest-md5\t{md5}");
        output.WriteLine($"json\t{Entry(user, pbkdf2, [sha256, md5])}");
        return 0;
    }

    private static bool TryOption(string[] args, ref int i, string name, out string? value)
    {
        value = null;
        if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
        {
            value = args[i][(name.Length + 1)..];
            return true;
        }

        if (args[i] != name)
        {
            return false;
        }

        value = i + 1 < args.Length ? args[++i] : string.Empty;
        return true;
    }

    private static string ConfiguredRealm(string[] configArgs)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddJsonFile(MediaServerHost.ConfigFile(configArgs), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables("MEDIASERVER__")
            .AddCommandLine(configArgs)
            .Build();
        return configuration["Auth:Realm"] ?? new AuthOptions().Realm;
    }

    /// <summary>The user's entry for <c>Auth:Users</c>, to paste into the file (permissions left to add).</summary>
    private static string Entry(string user, string password, string[] passwords)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping: the line goes into a JSON file, not a web page, and "+" should read as "+".
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("Name", user);
            json.WriteString("Password", password);
            json.WriteStartArray("Passwords");
            foreach (string form in passwords)
            {
                json.WriteStringValue(form);
            }

            json.WriteEndArray();
            json.WriteStartArray("Permissions");
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
