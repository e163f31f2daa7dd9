using KMeansPS.Imaging.Metadata;

namespace KMeansPS.Imaging.Tests.Metadata;

public class IccProfileInfoTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_name_is_the_profile_description(bool mluc)
    {
        Assert.Equal("Adobe RGB (1998)", IccProfileInfo.NameOf(MetadataSamples.IccProfile("Adobe RGB (1998)", mluc)));
    }

    [Fact]
    public void A_profile_without_a_usable_description_is_named_ICC_profile()
    {
        byte[] profile = MetadataSamples.IccProfile("Display P3");
        Assert.Equal("ICC profile", IccProfileInfo.NameOf(profile.AsSpan(0, 100)));
        byte[] noSignature = (byte[])profile.Clone();
        noSignature[36] = 0;
        Assert.Equal("ICC profile", IccProfileInfo.NameOf(noSignature));
        Assert.Equal("ICC profile", IccProfileInfo.NameOf(MetadataSamples.IccProfile(" \t ")));
        byte[] lying = (byte[])profile.Clone();
        lying[143] = 0xFF; // the desc tag's size past the end
        Assert.Equal("ICC profile", IccProfileInfo.NameOf(lying));
    }

    [Theory]
    [InlineData("  two  spaces  ", "two spaces")]
    [InlineData("tab\tand\nnewline", "tabandnewline")]
    [InlineData("caf\u00e9 \u20ac", "caf\u00e9")]
    public void Descriptions_become_valid_PNG_keywords(string description, string keyword)
    {
        Assert.Equal(keyword, IccProfileInfo.ToKeyword(description));
        Assert.Equal(79, IccProfileInfo.ToKeyword(new string('x', 200))!.Length);
    }
}
