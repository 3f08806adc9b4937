using System.Security.Cryptography;
using System.Text;
using MediaServer.Configuration;
using MediaServer.Core.Access;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Access;

/// <summary>
/// <c>MediaServer hash-password</c>, run in-process: every stored form, labelled, for the realm of
/// the configuration or of <c>--realm</c>; and what the server says of a form made for another realm.
/// </summary>
public class HashPasswordCommandTests
{
    private static (int Code, string Output, string Error) Run(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = HashPasswordCommand.Run(["hash-password", .. args], new StringReader(stdin), output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static Dictionary<string, string> Forms(string output) => output
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(line => !line.StartsWith('#'))
        .Select(line => line.Split('\t', 2))
        .ToDictionary(parts => parts[0], parts => parts[1]);

#pragma warning disable CA5351 // the MD5 HA1 is what RTSP clients answer with.
    private static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    [Fact]
    public void With_a_user_it_prints_every_form_for_the_realm_of_the_configuration_file()
    {
        string config = Path.Combine(Path.GetTempPath(), $"hash-password-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, """{ "Auth": { "Realm": "Home Cameras" } }""");
        try
        {
            (int code, string output, string error) = Run("s3cret pw\n", "--user", "frontdoor", $"--ConfigPath={config}");
            Assert.True(code == 0, error);
            Dictionary<string, string> forms = Forms(output);
            Assert.Equal(["pbkdf2", "digest-sha256", "digest-md5", "json"], forms.Keys);

            string sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("frontdoor:Home Cameras:s3cret pw")));
            Assert.Equal($"digest-sha256:Home Cameras:{sha256}", forms["digest-sha256"]);
            Assert.Equal($"digest-md5:Home Cameras:{Md5Hex("frontdoor:Home Cameras:s3cret pw")}", forms["digest-md5"]);
            Assert.True(PasswordVerifier.Verify(forms["pbkdf2"], "s3cret pw"));
            Assert.Contains("'Home Cameras'", output, StringComparison.Ordinal);

            // The JSON line is an Auth:Users entry the server accepts as it is, in the realm it was made for.
            UserOptions entry = System.Text.Json.JsonSerializer.Deserialize<UserOptions>(forms["json"])!;
            Assert.Contains($"\"Password\":\"{forms["pbkdf2"]}\"", forms["json"], StringComparison.Ordinal);
            var users = new UserDirectory(new AuthOptions { Realm = "Home Cameras", Users = [entry] });
            Assert.True(users.TryBasic("frontdoor", "s3cret pw", out _));
            Assert.True(users.TryGetHa1("frontdoor", DigestAlgorithm.Md5, out string ha1, out _));
            Assert.Equal(Md5Hex("frontdoor:Home Cameras:s3cret pw"), ha1);
            Assert.True(users.TryGetHa1("frontdoor", DigestAlgorithm.Sha256, out _, out _));
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void The_realm_option_wins_and_without_a_user_only_the_pbkdf2_value_is_printed()
    {
        (int code, string output, _) = Run(string.Empty, "--realm=Lab", "--user=cam", "pw");
        Assert.Equal(0, code);
        Assert.Equal($"digest-md5:Lab:{Md5Hex("cam:Lab:pw")}", Forms(output)["digest-md5"]);

        // As before the Digest forms existed: one line, the value for Password, so scripts keep working.
        (code, output, string error) = Run("pw\n");
        Assert.Equal(0, code);
        string line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pbkdf2:", line, StringComparison.Ordinal);
        Assert.True(PasswordVerifier.Verify(line.TrimEnd('\r'), "pw"));
        Assert.Contains("--user", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_digest_form_made_for_another_realm_stops_the_server_naming_the_key()
    {
        (_, string output, _) = Run("pw", "--user", "cam", "--realm", "Old");
        string md5 = Forms(output)["digest-md5"];
        ConfigurationException e = await Assert.ThrowsAsync<ConfigurationException>(() => TestHost.StartAsync(
            "--Auth:Users:0:Name=cam", "--Auth:Users:0:Password=pw", $"--Auth:Users:0:Passwords:0={md5}", "--Auth:Users:0:Permissions:0:Action=publish"));
        string error = Assert.Single(e.Errors);
        Assert.StartsWith("Auth:Users:0:Passwords:0: ", error, StringComparison.Ordinal);
        Assert.Contains("realm 'Old'", error, StringComparison.Ordinal);
        Assert.Contains("Auth:Realm is 'MediaServer'", error, StringComparison.Ordinal);
    }
}
