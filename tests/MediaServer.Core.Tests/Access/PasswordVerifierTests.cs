using System.Security.Cryptography;
using System.Text;
using MediaServer.Core.Access;

namespace MediaServer.Core.Tests.Access;

public class PasswordVerifierTests
{
    [Fact]
    public void Plain_sha256_and_pbkdf2_passwords_verify_only_the_right_password()
    {
        string sha256 = "sha256:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("s3cret")));
        byte[] salt = Encoding.UTF8.GetBytes("0123456789abcdef");
        byte[] derived = Rfc2898DeriveBytes.Pbkdf2("s3cret"u8, salt, 1000, HashAlgorithmName.SHA256, 32);
        string pbkdf2 = $"pbkdf2:1000:{Convert.ToBase64String(salt)}:{Convert.ToBase64String(derived)}";
        foreach (string configured in new[] { "s3cret", sha256, pbkdf2 })
        {
            Assert.True(PasswordVerifier.Verify(configured, "s3cret"), configured);
            Assert.False(PasswordVerifier.Verify(configured, "s3cret "), configured);
            Assert.False(PasswordVerifier.Verify(configured, ""), configured);
            Assert.False(PasswordVerifier.Verify(configured, configured == "s3cret" ? "S3cret" : configured), configured);
        }
    }

    [Fact]
    public void Hash_makes_a_salted_pbkdf2_value_that_verifies()
    {
        string first = PasswordVerifier.Hash("correct horse", iterations: 1000);
        string second = PasswordVerifier.Hash("correct horse", iterations: 1000);
        Assert.StartsWith("pbkdf2:1000:", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second); // a fresh salt each time
        Assert.True(PasswordVerifier.Verify(first, "correct horse"));
        Assert.True(PasswordVerifier.Verify(second, "correct horse"));
        Assert.False(PasswordVerifier.Verify(first, "correct horse battery"));
    }

    [Theory]
    [InlineData("sha256:not base64!")]
    [InlineData("pbkdf2:abc:c2FsdA==:aGFzaA==")]
    [InlineData("pbkdf2:0:c2FsdA==:aGFzaA==")]
    [InlineData("pbkdf2:1000:not base64!:aGFzaA==")]
    [InlineData("pbkdf2:1000:c2FsdA==")]
    public void Malformed_hashes_match_nothing(string configured)
    {
        Assert.False(PasswordVerifier.Verify(configured, "anything"));
        Assert.False(PasswordVerifier.Verify(configured, configured));
    }
}
