using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Png;
using KMeansPS.Imaging.Provenance;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// Collects what a PNG source's output carries (<see cref="CarriedMetadata"/>) from the file's bytes: iCCP (its
/// profile inflated, to check it and to name it), sRGB (dropped when there is an iCCP: never both), gAMA, cHRM, cICP,
/// pHYs, tEXt/zTXt/iTXt (not the KMeansPS marker) and eXIf, wherever they stand in the file (text may follow the image
/// data). A chunk is dropped, never an error, when its CRC fails, its length is wrong for its type, its compressed
/// data does not inflate or inflates past the <see cref="MetadataBudget"/>, or it would overrun the budget; only the
/// first of a chunk that may occur once counts.
/// </summary>
internal static class PngMetadataCollector
{
    public static CarriedMetadata Collect(ReadOnlySpan<byte> file, MetadataBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (file.Length < 8 || !file[..8].SequenceEqual(PalettePngEncoder.Signature)) return CarriedMetadata.None;
        byte[]? icc = null;
        string iccName = IccProfileInfo.DefaultName;
        AncillaryChunk? srgb = null, gama = null, chrm = null, cicp = null;
        PixelDensity? density = null;
        byte[]? exif = null;
        string? droppedExif = null;
        bool exifSeen = false;
        var text = new List<AncillaryChunk>();
        var kept = new List<(string Type, byte[] Data)>();

        int at = 8;
        while (at <= file.Length - 12)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file[at..]);
            string type = Encoding.ASCII.GetString(file.Slice(at + 4, 4));
            if (length > (uint)(file.Length - at - 12)) break; // cut short: nothing after it can be trusted
            ReadOnlySpan<byte> data = file.Slice(at + 8, (int)length);
            ReadOnlySpan<byte> typeAndData = file.Slice(at + 4, 4 + (int)length);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(file[(at + 8 + (int)length)..]);
            at += 12 + (int)length;
            if (type == "IEND") break;
            if (!Wanted(type) || Crc32.Compute(typeAndData) != storedCrc) continue;
            switch (type)
            {
                case "iCCP" when icc is null:
                    if (InflateProfile(data, budget, out string name) is { } profile)
                        (icc, iccName) = (profile, IccProfileInfo.ToKeyword(name) ?? IccProfileInfo.DefaultName);
                    break;
                case "sRGB" when srgb is null && length == 1 && data[0] <= 3:
                    srgb = new AncillaryChunk(type, data.ToArray());
                    break;
                case "gAMA" when gama is null && length == 4 && BinaryPrimitives.ReadUInt32BigEndian(data) != 0:
                    gama = new AncillaryChunk(type, data.ToArray());
                    break;
                case "cHRM" when chrm is null && length == 32 && ValidChromaticities(data):
                    chrm = new AncillaryChunk(type, data.ToArray());
                    break;
                case "cICP" when cicp is null && length == 4:
                    cicp = new AncillaryChunk(type, data.ToArray());
                    break;
                case "pHYs" when density is null:
                    density = PixelDensity.FromPhys(data);
                    break;
                case "eXIf" when !exifSeen:
                    // The first, as PNG allows one: damaged, it is dropped with a word, and no later one stands in for it.
                    exifSeen = true;
                    exif = CarriedExif.From(data, upright: null, out droppedExif);
                    if (exif is not null && !budget.TryTake(length)) exif = null;
                    break;
                case "tEXt" or "zTXt" or "iTXt" when !IsMarker(data) && TextSize(type, data, budget.Remaining) is long size && budget.TryTake(size):
                    text.Add(new AncillaryChunk(type, data.ToArray()));
                    break;
            }
        }
        var color = new List<AncillaryChunk>();
        if (cicp is not null) color.Add(cicp);
        if (srgb is not null && icc is null) color.Add(srgb);
        if (gama is not null) color.Add(gama);
        if (chrm is not null) color.Add(chrm);
        return new CarriedMetadata
        {
            IccProfile = icc,
            IccName = iccName,
            ColorChunks = color,
            Density = density,
            Text = text,
            Exif = exif,
            DroppedExif = droppedExif,
        };
    }

    /// <summary>
    /// Whether a cHRM chunk's white point and primaries are chromaticities libpng accepts: each x and y from 0 to 1 (as
    /// 100,000ths), y above 0, x + y at most 1, and the three primaries not on one line. All zeros, say, is refused by
    /// libpng ("invalid chromaticities") and would be carried into the output as it was.
    /// </summary>
    internal static bool ValidChromaticities(ReadOnlySpan<byte> data)
    {
        Span<long> v = stackalloc long[8];
        for (int i = 0; i < 8; i++) v[i] = BinaryPrimitives.ReadUInt32BigEndian(data[(4 * i)..]);
        for (int i = 0; i < 8; i += 2)
        {
            if (v[i] > 100_000 || v[i + 1] <= 0 || v[i + 1] > 100_000 || v[i] + v[i + 1] > 100_000) return false;
        }
        // Twice the red-green-blue triangle's area: 0 when the primaries are on one line (no colour space).
        long area = (v[4] - v[2]) * (v[7] - v[3]) - (v[6] - v[2]) * (v[5] - v[3]);
        return area != 0;
    }

    private static bool Wanted(string type) => type is "iCCP" or "sRGB" or "gAMA" or "cHRM" or "cICP" or "pHYs" or "eXIf" or "tEXt" or "zTXt" or "iTXt";

    /// <summary>A text chunk whose keyword is the module's marker (the output writes its own).</summary>
    private static bool IsMarker(ReadOnlySpan<byte> data) =>
        data.Length > OutputMarker.Keyword.Length && data[OutputMarker.Keyword.Length] == 0
        && data[..OutputMarker.Keyword.Length].SequenceEqual(Encoding.ASCII.GetBytes(OutputMarker.Keyword));

    /// <summary>The keyword's length (1 to 79 bytes before a zero byte), or -1.</summary>
    private static int KeywordLength(ReadOnlySpan<byte> data)
    {
        int end = data[..Math.Min(data.Length, 80)].IndexOf((byte)0);
        return end is >= 1 and <= 79 ? end : -1;
    }

    /// <summary>
    /// The bytes a text chunk counts against the budget (its stored size plus, when compressed, its inflated size),
    /// or null when it is malformed or its text does not inflate within <paramref name="room"/>.
    /// </summary>
    private static long? TextSize(string type, ReadOnlySpan<byte> data, long room)
    {
        int keyword = KeywordLength(data);
        if (keyword < 0) return null;
        ReadOnlySpan<byte> rest = data[(keyword + 1)..];
        ReadOnlySpan<byte> compressed;
        switch (type)
        {
            case "tEXt":
                return data.Length;
            case "zTXt":
                if (rest.Length < 1 || rest[0] != 0) return null;
                compressed = rest[1..];
                break;
            default: // iTXt: flag, method, language tag \0, translated keyword \0, text
                if (rest.Length < 2 || rest[0] > 1 || rest[1] != 0) return null;
                int language = rest[2..].IndexOf((byte)0);
                if (language < 0) return null;
                int translated = rest[(3 + language)..].IndexOf((byte)0);
                if (translated < 0) return null;
                if (rest[0] == 0) return data.Length;
                compressed = rest[(4 + language + translated)..];
                break;
        }
        long inflated = InflatedSize(compressed, room - data.Length);
        return inflated < 0 ? null : data.Length + inflated;
    }

    /// <summary>The size <paramref name="zlib"/> inflates to, or -1 when it is not whole zlib data or exceeds <paramref name="limit"/>.</summary>
    private static long InflatedSize(ReadOnlySpan<byte> zlib, long limit)
    {
        if (limit < 0) return -1;
        byte[]? inflated = Inflate(zlib, limit);
        return inflated is null ? -1 : inflated.LongLength;
    }

    private static byte[]? InflateProfile(ReadOnlySpan<byte> data, MetadataBudget budget, out string name)
    {
        name = IccProfileInfo.DefaultName;
        int keyword = KeywordLength(data);
        if (keyword < 0 || data.Length < keyword + 3 || data[keyword + 1] != 0) return null;
        byte[]? profile = Inflate(data[(keyword + 2)..], budget.Remaining);
        if (profile is null || profile.Length == 0 || !budget.TryTake(profile.Length)) return null;
        name = Encoding.Latin1.GetString(data[..keyword]);
        return profile;
    }

    /// <summary>The inflated bytes of whole zlib data, or null when damaged, cut short or larger than <paramref name="limit"/>.</summary>
    internal static byte[]? Inflate(ReadOnlySpan<byte> zlib, long limit)
    {
        try
        {
            using var source = new MemoryStream(zlib.ToArray(), writable: false);
            using var inflater = new ZLibStream(source, CompressionMode.Decompress);
            using var output = new MemoryStream();
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = inflater.Read(buffer)) > 0)
            {
                if (output.Length + n > limit) return null;
                output.Write(buffer, 0, n);
            }
            // Data cut short may end without an error: the zlib trailer must be the inflated bytes' Adler-32.
            byte[] bytes = output.ToArray();
            return zlib.Length >= 6 && BinaryPrimitives.ReadUInt32BigEndian(zlib[^4..]) == Adler32.Compute(bytes) ? bytes : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
