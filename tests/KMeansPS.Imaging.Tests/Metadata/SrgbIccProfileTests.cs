using System.Buffers.Binary;
using KMeansPS.Imaging.Metadata;
using static KMeansPS.Imaging.Tests.Metadata.MatrixProfiles;

namespace KMeansPS.Imaging.Tests.Metadata;

public class SrgbIccProfileTests
{
    [Theory]
    [InlineData(0u, 0)]
    [InlineData(1u, 1)]
    [InlineData(2u, 2)]
    [InlineData(3u, 3)]
    [InlineData(0x0100_0000u, 0)] // the HP/Microsoft profile's field: ICC gives the intent the low 16 bits
    public void An_sRGB_v2_profile_is_sRGB_with_the_headers_rendering_intent(uint field, int expected)
    {
        Assert.True(SrgbIccProfile.Matches(SrgbV2(field), out byte intent));
        Assert.Equal(expected, intent);
    }

    [Fact]
    public void A_v4_sRGB_profile_with_a_D50_white_point_its_chad_adaptation_and_parametric_curves_is_sRGB()
    {
        Assert.True(SrgbIccProfile.Matches(SrgbV4(intent: 1), out byte intent));
        Assert.Equal(1, intent);
        // The same, described as something else: the name is not what is judged.
        Assert.True(SrgbIccProfile.Matches(Build(D65, SrgbColourants, [TableCurve(SrgbDecode, 256)], "Camera RGB"), out _));
    }

    [Fact]
    public void An_intent_field_beyond_the_four_intents_is_not_taken_for_sRGB()
    {
        Assert.False(SrgbIccProfile.Matches(SrgbV2(4), out _));
    }

    public static TheoryData<string> NotSrgb => new(
        "display-p3", "gamma-2.2", "para-gamma-2.2", "one-channel-gamma-2.2", "linear", "d50-white-no-chad",
        "d60-white", "chad-to-other-white", "d65-colourants-unadapted", "black-point", "lut-transform", "printer-class",
        "no-curves", "no-white-point", "description-only");

    [Theory]
    [MemberData(nameof(NotSrgb))]
    public void Other_profiles_are_not_sRGB_whatever_their_name(string kind)
    {
        byte[] srgbCurve = TableCurve(SrgbDecode);
        byte[] profile = kind switch
        {
            "display-p3" => Build(D65, DisplayP3Colourants, [srgbCurve]),
            "gamma-2.2" => Build(D65, SrgbColourants, [GammaCurve(2.2)]),
            "para-gamma-2.2" => Build(D65, SrgbColourants, [ParametricCurve(0, 2.2)]),
            "one-channel-gamma-2.2" => Build(D65, SrgbColourants, [srgbCurve, GammaCurve(2.2), srgbCurve]),
            "linear" => Build(D65, SrgbColourants, [TableCurve(x => x, 2)]),
            "d50-white-no-chad" => Build(D50, SrgbColourants, [srgbCurve]),
            "d60-white" => Build([0.9523, 1.0, 1.0084], SrgbColourants, [srgbCurve]),
            "chad-to-other-white" => Build(D50, SrgbColourants, [SrgbParametric()], version: 4, chad: [1, 0, 0, 0, 1, 0, 0, 0, 1]),
            "d65-colourants-unadapted" => Build(D65, [[0.4124, 0.2126, 0.0193], [0.3576, 0.7152, 0.1192], [0.1805, 0.0722, 0.9505]], [srgbCurve]),
            "black-point" => Build(D65, SrgbColourants, [srgbCurve], black: [0.0034, 0.0035, 0.0029]),
            "lut-transform" => Build(D65, SrgbColourants, [srgbCurve], extraTags: [("A2B0", new byte[64])]),
            "printer-class" => Build(D65, SrgbColourants, [srgbCurve], deviceClass: "prtr"),
            "no-curves" => WithoutTag(SrgbV2(), "gTRC"),
            "no-white-point" => WithoutTag(SrgbV2(), "wtpt"),
            _ => MetadataSamples.IccProfile("sRGB IEC61966-2.1"),
        };
        Assert.False(SrgbIccProfile.Matches(profile, out _), kind);
    }

    [Fact]
    public void Gamma_22_is_rejected_by_the_curve_and_sRGBs_own_curve_passes_in_every_form()
    {
        Assert.True(SrgbIccProfile.IsSrgbCurve(TableCurve(SrgbDecode)));
        Assert.True(SrgbIccProfile.IsSrgbCurve(TableCurve(SrgbDecode, 4096)));
        Assert.True(SrgbIccProfile.IsSrgbCurve(SrgbParametric()));
        Assert.True(SrgbIccProfile.IsSrgbCurve(ParametricCurve(4, 2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045, 0, 0)));
        Assert.False(SrgbIccProfile.IsSrgbCurve(GammaCurve(2.2)));
        Assert.False(SrgbIccProfile.IsSrgbCurve(GammaCurve(2.4)));
        Assert.False(SrgbIccProfile.IsSrgbCurve(TableCurve(x => Math.Pow(x, 2.2))));
        // sRGB's curve shifted by one 8-bit level in the dark tones is no longer sRGB's.
        Assert.False(SrgbIccProfile.IsSrgbCurve(TableCurve(x => SrgbDecode(Math.Max(0, x - 1 / 255.0)))));
    }

    [Fact]
    public void A_truncated_or_lying_profile_is_not_sRGB_and_never_throws()
    {
        byte[] profile = SrgbV2();
        for (int cut = 0; cut < profile.Length; cut += 7)
            Assert.False(SrgbIccProfile.Matches(profile.AsSpan(0, cut), out _), $"cut at {cut}");

        // The size field, the tag count and tag offsets and sizes that lie.
        byte[] lying = (byte[])profile.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(lying, (uint)profile.Length + 10);
        Assert.False(SrgbIccProfile.Matches(lying, out _));
        lying = (byte[])profile.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(lying.AsSpan(128), 100_000);
        Assert.False(SrgbIccProfile.Matches(lying, out _));
        for (int entry = 0; entry < 8; entry++)
        {
            foreach (uint value in new uint[] { uint.MaxValue, (uint)profile.Length, (uint)profile.Length - 4, 0, 8 })
            {
                lying = (byte[])profile.Clone();
                BinaryPrimitives.WriteUInt32BigEndian(lying.AsSpan(132 + 12 * entry + 4 + (value % 2 == 0 ? 0 : 4)), value);
                _ = SrgbIccProfile.Matches(lying, out _);
                lying = (byte[])profile.Clone();
                BinaryPrimitives.WriteUInt32BigEndian(lying.AsSpan(132 + 12 * entry + 8), value);
                _ = SrgbIccProfile.Matches(lying, out _);
            }
        }

        // Seeded damage anywhere: an answer, never an exception.
        var random = new Random(15);
        foreach (byte[] source in new[] { profile, SrgbV4() })
        {
            for (int round = 0; round < 400; round++)
            {
                byte[] damaged = (byte[])source.Clone();
                for (int i = 0; i < 4; i++) damaged[random.Next(Math.Min(damaged.Length, round % 2 == 0 ? 300 : damaged.Length))] = (byte)random.Next(256);
                _ = SrgbIccProfile.Matches(damaged, out _);
            }
        }
    }

    // The profile with one tag's signature renamed to a private one.
    private static byte[] WithoutTag(byte[] profile, string signature)
    {
        byte[] copy = (byte[])profile.Clone();
        int count = BinaryPrimitives.ReadInt32BigEndian(copy.AsSpan(128));
        for (int i = 0; i < count; i++)
            if (copy.AsSpan(132 + 12 * i, 4).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(signature))) "zzzz"u8.CopyTo(copy.AsSpan(132 + 12 * i));
        return copy;
    }
}
