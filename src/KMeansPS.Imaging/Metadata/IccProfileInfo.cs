using System.Buffers.Binary;
using System.Text;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// What an output needs to know about an ICC profile: its description (the 'desc' tag, ICC.1 v2 textDescriptionType
/// or v4 multiLocalizedUnicodeType), made into a valid PNG keyword for the iCCP chunk's name. The profile itself is
/// carried byte for byte and never interpreted otherwise; every offset is checked and a malformed profile just has
/// no description.
/// </summary>
internal static class IccProfileInfo
{
    /// <summary>The name used when the profile has no usable description.</summary>
    public const string DefaultName = "ICC profile";

    /// <summary>PNG keywords are 1 to 79 Latin-1 characters.</summary>
    private const int MaxKeyword = 79;

    /// <summary>The iCCP name for <paramref name="profile"/>: its description as a PNG keyword, else <see cref="DefaultName"/>.</summary>
    public static string NameOf(ReadOnlySpan<byte> profile) => ToKeyword(Description(profile)) ?? DefaultName;

    /// <summary>The profile's data colour space (header bytes 16-19, trailing spaces cut: "RGB", "GRAY", "CMYK", ...), or null when the header is short or not text.</summary>
    public static string? ColourSpace(ReadOnlySpan<byte> profile) => Signature(profile, 16);

    /// <summary>The profile's class (header bytes 12-15: "mntr", "scnr", "prtr", "spac", "link", "abst", "nmcl"), or null when the header is short or not text.</summary>
    public static string? ProfileClass(ReadOnlySpan<byte> profile) => Signature(profile, 12);

    /// <summary>
    /// Why a palette PNG may not carry <paramref name="profile"/> (as libpng judges it), or null when it may: the data
    /// colour space must be RGB, and the class one that describes a colour space (not a device link, an abstract or a
    /// named-colour profile).
    /// </summary>
    public static string? NotForRgbPng(ReadOnlySpan<byte> profile)
    {
        string? space = ColourSpace(profile);
        if (space != "RGB") return space is null ? "not a readable profile" : $"a {space} profile";
        return ProfileClass(profile) switch
        {
            "link" => "a device-link profile",
            "abst" => "an abstract profile",
            "nmcl" => "a named-colour profile",
            _ => null,
        };
    }

    /// <summary>
    /// What is damaged in <paramref name="profile"/>, as libpng's checks find it (it then ignores the iCCP chunk), or
    /// null when it is whole: the size the header states against the bytes there (a profile cut short, or a version 4
    /// one whose length is not a multiple of 4), the "acsp" signature, the connection space (XYZ or Lab), the rendering
    /// intent, and the tag table (every tag inside the profile). Bytes past the stated size are padding, which
    /// <see cref="Whole"/> drops.
    /// </summary>
    public static string? Damage(ReadOnlySpan<byte> profile)
    {
        if (profile.Length < 132) return $"{profile.Length} bytes, less than a profile's header and tag count";
        uint size = BinaryPrimitives.ReadUInt32BigEndian(profile);
        if (size > profile.Length) return $"it states {size:N0} bytes but {profile.Length:N0} are there";
        if (size < 132) return $"it states a size of {size:N0} bytes";
        if ((size & 3) != 0 && profile[8] > 3) return $"a version 4 profile of {size:N0} bytes, not a multiple of 4";
        if (!profile.Slice(36, 4).SequenceEqual("acsp"u8)) return "no 'acsp' signature";
        if (!profile.Slice(20, 4).SequenceEqual("XYZ "u8) && !profile.Slice(20, 4).SequenceEqual("Lab "u8)) return "a connection space other than XYZ or Lab";
        if (BinaryPrimitives.ReadUInt32BigEndian(profile[64..]) >= 0xFFFF) return "an invalid rendering intent";
        uint count = BinaryPrimitives.ReadUInt32BigEndian(profile[128..]);
        if (count > (size - 132) / 12) return $"a table of {count:N0} tags, more than its {size:N0} bytes hold";
        for (int i = 0; i < (int)count; i++)
        {
            ReadOnlySpan<byte> tag = profile.Slice(132 + 12 * i, 12);
            ulong start = BinaryPrimitives.ReadUInt32BigEndian(tag[4..]), length = BinaryPrimitives.ReadUInt32BigEndian(tag[8..]);
            if (start + length > size) return "a tag outside the profile";
        }
        return null;
    }

    /// <summary><paramref name="profile"/> without bytes past the size its header states (padding), for a whole profile.</summary>
    public static byte[] Whole(byte[] profile)
    {
        uint size = BinaryPrimitives.ReadUInt32BigEndian(profile);
        return size < profile.Length ? profile[..(int)size] : profile;
    }

    private static string? Signature(ReadOnlySpan<byte> profile, int at)
    {
        if (profile.Length < 128) return null;
        ReadOnlySpan<byte> signature = profile.Slice(at, 4);
        foreach (byte b in signature)
            if (b is < 0x20 or > 0x7E) return null;
        return System.Text.Encoding.ASCII.GetString(signature).TrimEnd();
    }

    /// <summary>The profile's description, or null.</summary>
    internal static string? Description(ReadOnlySpan<byte> profile)
    {
        if (profile.Length < 132 || !profile.Slice(36, 4).SequenceEqual("acsp"u8)) return null;
        uint count = BinaryPrimitives.ReadUInt32BigEndian(profile[128..]);
        if (count > (uint)(profile.Length - 132) / 12) return null;
        for (int i = 0; i < (int)count; i++)
        {
            ReadOnlySpan<byte> entry = profile.Slice(132 + 12 * i, 12);
            if (!entry[..4].SequenceEqual("desc"u8)) continue;
            uint offset = BinaryPrimitives.ReadUInt32BigEndian(entry[4..]), size = BinaryPrimitives.ReadUInt32BigEndian(entry[8..]);
            if (offset > (uint)profile.Length || size > (uint)profile.Length - offset || size < 12) return null;
            return ReadText(profile.Slice((int)offset, (int)size));
        }
        return null;
    }

    private static string? ReadText(ReadOnlySpan<byte> tag)
    {
        if (tag.StartsWith("desc"u8))
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(tag[8..]);
            if (length > (uint)tag.Length - 12) return null;
            ReadOnlySpan<byte> ascii = tag.Slice(12, (int)length);
            int end = ascii.IndexOf((byte)0);
            return Encoding.Latin1.GetString(end >= 0 ? ascii[..end] : ascii);
        }
        if (tag.StartsWith("mluc"u8) && tag.Length >= 28)
        {
            uint records = BinaryPrimitives.ReadUInt32BigEndian(tag[8..]);
            if (records == 0) return null;
            // The first record: language, country, length and offset (from the tag's start) of a UTF-16BE string.
            uint length = BinaryPrimitives.ReadUInt32BigEndian(tag[20..]), offset = BinaryPrimitives.ReadUInt32BigEndian(tag[24..]);
            if (offset > (uint)tag.Length || length > (uint)tag.Length - offset) return null;
            return Encoding.BigEndianUnicode.GetString(tag.Slice((int)offset, (int)(length & ~1u)));
        }
        return null;
    }

    /// <summary>
    /// <paramref name="text"/> as a PNG keyword: printable Latin-1 only (others dropped), single spaces, no space at
    /// either end, at most 79 characters; null when nothing is left.
    /// </summary>
    internal static string? ToKeyword(string? text)
    {
        if (text is null) return null;
        var keyword = new StringBuilder(Math.Min(text.Length, MaxKeyword));
        foreach (char c in text)
        {
            if (keyword.Length == MaxKeyword) break;
            bool printable = c is (>= ' ' and <= '~') or (>= '\u00A1' and <= '\u00FF');
            if (!printable) continue;
            if (c == ' ' && (keyword.Length == 0 || keyword[^1] == ' ')) continue;
            keyword.Append(c);
        }
        string result = keyword.ToString().TrimEnd(' ');
        return result.Length == 0 ? null : result;
    }
}
