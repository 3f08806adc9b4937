using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Access;

/// <summary>
/// HTTP (API, WHEP, player) takes Basic, which every stored form can check: a user stored only as
/// an HA1 logs in there too, and the API lists each user's forms without their values.
/// </summary>
[Trait("Category", "EndToEnd")]
public class Ha1HttpAccessTests
{
#pragma warning disable CA5351 // the MD5 HA1 is what RTSP clients answer with.
    private static string Md5Ha1(string user, string password) =>
        "digest-md5:MediaServer:" + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes($"{user}:MediaServer:{password}")));
#pragma warning restore CA5351

    private static HttpClient Client(MediaServerHost host, string user, string password) => new()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/"),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))) },
    };

    [Fact]
    public async Task A_user_stored_only_as_an_md5_ha1_uses_the_api_with_basic_and_the_api_shows_forms_not_hashes()
    {
        string ha1 = Md5Ha1("admin", "admin-pw");
        await using MediaServerHost host = await TestHost.StartAsync(
            "--Auth:Users:0:Name=admin", $"--Auth:Users:0:Password={ha1}",
            "--Auth:Users:0:Permissions:0:Action=config", "--Auth:Users:0:Permissions:1:Action=api");
        using HttpClient wrong = Client(host, "admin", "admin-pw2");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("v1/paths")).StatusCode);
        using HttpClient admin = Client(host, "admin", "admin-pw");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("v1/paths")).StatusCode);

        string replacement = $$"""
            [{"name":"admin","password":"","passwords":["{{PbkdfOf("admin-pw")}}","{{ha1}}"],"permissions":[{"action":"config"}]}]
            """;
        using HttpResponseMessage put = await admin.PutAsync("v1/config/users", new StringContent(replacement, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        string listed = await admin.GetStringAsync("v1/config/users");
        Assert.Contains("\"passwordKinds\":[\"pbkdf2\",\"digest-md5\"]", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(ha1[^32..], listed, StringComparison.Ordinal);
    }

    private static string PbkdfOf(string password)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, 1000, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2:1000:{Convert.ToBase64String(salt)}:{Convert.ToBase64String(hash)}";
    }
}
