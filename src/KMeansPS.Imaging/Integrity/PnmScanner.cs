using KMeansPS.Imaging.Pnm;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// PBM, PGM and PPM, plain (P1 to P3) and binary (P4 to P6): the header read exactly as ImageSharp 2.1 reads it,
/// then the samples: counted token by token in the plain forms, by length in the binary forms.
/// </summary>
/// <remarks>
/// Damage: fewer samples than width x height x channels ("the PPM holds 1,234 of 30,000 samples"), a maximum
/// value of 0 (ImageSharp divides by it) or above 65,535, a size of 0, a number too large for the decoder, a file
/// that ends inside the header. A binary raster starts after the one whitespace byte that ends the header, as the
/// specification and netpbm have it, whatever its first bytes are (a raster starting with 9, 10, 13, 32 or '#', which
/// ImageSharp 2.1 would skip as header, is decoded by <see cref="PnmDecoder"/>). Unsupported: a plain PBM written as
/// digits without spaces, which the specification allows but ImageSharp reads as one large number. Tolerated:
/// anything after the last sample but another image (trailing whitespace, other bytes), comments between samples.
/// Further whole images after the first (Netpbm allows several in a file, a PAM among them) are counted in
/// <see cref="IntegrityReport.Frames"/>. A plain file cut inside its last number cannot be told from a whole one.
/// Also damage: a sample above the maximum value (plain and binary forms) or a plain sample that is not a number
/// ("-2", "x", "12a").
/// </remarks>
internal static class PnmScanner
{
    public static IntegrityReport Scan(ReadOnlySpan<byte> file)
    {
        IntegrityReport first = ScanOne(file, out int end);
        if (first.Verdict != IntegrityVerdict.Intact) return first;
        // Netpbm files may hold several images one after another; decoders read the first (ImageMagick sees scenes).
        int images = 1;
        while (NextImageAt(file, end) is int next && ScanOne(file[next..], out int length).Verdict == IntegrityVerdict.Intact)
        {
            images++;
            end = next + length;
        }
        if (images == 1 && NextImageAt(file, end) is not null) images = 2; // a second image, itself damaged
        return first with { Frames = images, DecodedPixels = Saturating.Multiply(first.DecodedPixels, images) };
    }

    /// <summary>
    /// Where another image's header starts after whitespace at <paramref name="end"/>, or null: a PBM, PGM or PPM
    /// header, or a PAM's up to its ENDHDR line, read whole (netpbm reads every image of a file, and a PAM among
    /// them too). The whitespace is C's, as netpbm skips it between images: vertical tab and form feed too.
    /// </summary>
    private static int? NextImageAt(ReadOnlySpan<byte> file, int end)
    {
        int p = end;
        while (p < file.Length && file[p] is 9 or 10 or 11 or 12 or 13 or 32) p++;
        // A header that reads whole: any other bytes after the image (even "P5" and junk) are tolerated, as before.
        if (file.Length - p < 2 || file[p] != 'P') return null;
        ReadOnlySpan<byte> rest = file[p..];
        bool whole = rest[1] == '7' ? PamHeader.Read(rest) is not null : rest[1] is >= (byte)'1' and <= (byte)'6' && PnmHeader.Read(rest) is not null;
        return whole ? p : null;
    }

    /// <summary>One image from the start of <paramref name="file"/>; <paramref name="end"/>: where its last sample ends.</summary>
    private static IntegrityReport ScanOne(ReadOnlySpan<byte> file, out int end)
    {
        end = file.Length;
        var found = new ScanFindings(ImageFileFormat.Pnm);
        char kind = (char)file[1];
        bool bitmap = kind is '1' or '4';
        string name = kind == '7' ? "PAM" : bitmap ? "PBM" : kind is '3' or '6' ? "PPM" : "PGM";
        long width, height, channels, maxValue;
        int start;
        PnmHeader? header = null;
        if (kind == '7')
        {
            // Only ever after another image: a file that starts 'P7' is no format ImageSharp 2.1 (or this module) reads.
            if (PamHeader.Read(file) is not { } pam) return found.Damaged("the file ends inside the PAM header");
            if (pam.Width < 0 || pam.Height < 0 || pam.Depth < 0 || pam.MaxValue < 0)
                return found.Damaged("the PAM header lacks one of WIDTH, HEIGHT, DEPTH and MAXVAL");
            (width, height, channels, maxValue, start) = (pam.Width, pam.Height, pam.Depth, pam.MaxValue, pam.RasterStart);
            if (channels == 0) return found.Damaged("the PAM's depth is 0");
        }
        else
        {
            if (PnmHeader.Read(file) is not { } pnm) return found.Damaged($"the file ends inside the {name} header");
            header = pnm;
            (width, height, channels, maxValue) = (pnm.Width, pnm.Height, pnm.Channels, pnm.MaxValue);
            // A binary raster starts where the specification says, after the header's one whitespace byte.
            start = pnm.Plain ? pnm.RasterStart : pnm.RasterSpecStart;
        }
        if (width > int.MaxValue || height > int.MaxValue)
            return found.Damaged($"the {name} header gives a size of {Plain.Size(width, height)}, too large to decode");
        found.Width = width;
        found.Height = height;
        if (width == 0 || height == 0) return found.Damaged($"the {name} header gives a size of {Plain.Size(width, height)}");
        if (maxValue == 0) return found.Damaged($"the {name}'s maximum value is 0");
        if (maxValue > 65535) return found.Damaged($"the {name}'s maximum value is {Plain.N(maxValue)}, above the 65,535 the format allows");

        return header is { Plain: true }
            ? CheckPlain(found, file, start, name, width, height, (int)channels, bitmap, maxValue, out end)
            : CheckBinary(found, file, start, name, width, height, channels, bitmap, maxValue, out end);
    }

    private static IntegrityReport CheckBinary(ScanFindings found, ReadOnlySpan<byte> file, int start, string name,
        long width, long height, long channels, bool bitmap, long maxValue, out int end)
    {
        end = file.Length;
        long rowBytes = bitmap ? (width + 7) / 8 : Saturating.Multiply(width, channels, maxValue > 255 ? 2 : 1);
        long needed = Saturating.Multiply(rowBytes, height);
        long held = file.Length - (long)start;
        if (held >= needed)
        {
            end = (int)(start + needed);
            // A sample above the maximum is a value the format cannot hold.
            if (!bitmap && maxValue < 255)
            {
                int above = file.Slice(start, (int)needed).IndexOfAnyInRange((byte)(maxValue + 1), (byte)255);
                if (above >= 0)
                    return found.Damaged($"sample {Plain.N(above + 1L)} of the {name} is {Plain.N(file[start + above])}, above its maximum value {Plain.N(maxValue)}");
            }
            if (!bitmap && maxValue is > 255 and < 65535)
            {
                ReadOnlySpan<byte> samples = file.Slice(start, (int)needed);
                for (int i = 0; i < samples.Length; i += 2)
                {
                    int value = (samples[i] << 8) | samples[i + 1];
                    if (value > maxValue)
                        return found.Damaged($"sample {Plain.N(i / 2 + 1L)} of the {name} is {Plain.N(value)}, above its maximum value {Plain.N(maxValue)}");
                }
            }
            return found.Intact();
        }
        if (held <= 0) return found.Damaged($"the {name} holds no pixel data: the header claims {Plain.Size(width, height)} pixels but the file has {Plain.Bytes(file.Length)}");
        return found.Damaged($"the {name} pixel data ends after {Plain.Rows(held / rowBytes, height)} (it needs {Plain.Bytes(needed)}, the file holds {Plain.N(held)})");
    }

    /// <summary>
    /// Samples as ImageSharp reads them: a number (or any one other byte, read as 0), then whitespace and comments.
    /// A sample above the maximum value, or one that is not a number (a sign, a letter, digits run into another
    /// byte), is damage: ImageSharp would read it as some other value without a word.
    /// </summary>
    private static IntegrityReport CheckPlain(ScanFindings found, ReadOnlySpan<byte> file, int p, string name,
        long width, long height, int channels, bool bitmap, long maxValue, out int end)
    {
        long needed = Saturating.Multiply(width, height, channels), got = 0;
        int start = p;
        string? wrong = null;
        while (got < needed && p < file.Length)
        {
            int sampleStart = p;
            if (!PnmSyntax.ReadPlainSample(file, ref p, out long value))
            {
                wrong = $"sample {Plain.N(got + 1)} of the {name} is not a number (byte {Plain.N(file[p])} at offset {Plain.N(p)})";
                break;
            }
            if (value > maxValue)
            {
                wrong = $"sample {Plain.N(got + 1)} of the {name} is {Plain.N(value)}, above its maximum value {Plain.N(maxValue)}";
                break;
            }
            got++;
            // The last number must end before the file does: "...255\n20" is "...200" cut short as much as it is 20
            // (netpbm: "EOF / read error reading a byte"; ImageMagick refuses it too).
            if (got == needed && DigitsRunToTheEnd(file, sampleStart))
            {
                end = p;
                return found.Damaged($"the file ends inside the last sample of the {name} (a number cut by the end of the file cannot be told from one cut short)");
            }
        }
        end = p;
        if (got >= needed) return found.Intact();
        if (bitmap && CountBitmapDigits(file[start..], needed) >= needed)
            return found.Unsupported("the plain PBM writes its pixels as digits without spaces between them, which ImageSharp 2.1 reads as one number");
        if (wrong is not null) return found.Damaged(wrong);
        return found.Damaged($"the {name} holds {Plain.N(got)} of {Plain.N(needed)} samples (the data ends after {Plain.Rows(got / Saturating.Multiply(width, channels), height)})");
    }

    private static bool DigitsRunToTheEnd(ReadOnlySpan<byte> file, int p)
    {
        while (p < file.Length && (uint)(file[p] - '0') <= 9) p++;
        return p == file.Length;
    }

    /// <summary>The '0' and '1' characters outside comments, counted up to <paramref name="limit"/>.</summary>
    private static long CountBitmapDigits(ReadOnlySpan<byte> raster, long limit)
    {
        long count = 0;
        for (int i = 0; i < raster.Length && count < limit; i++)
        {
            if (raster[i] == '#')
            {
                int end = raster[i..].IndexOf((byte)'\n');
                if (end < 0) break;
                i += end;
            }
            else if (raster[i] is (byte)'0' or (byte)'1') count++;
        }
        return count;
    }
}
