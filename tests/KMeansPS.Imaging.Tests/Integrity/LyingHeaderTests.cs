using System.Buffers.Binary;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// Headers that claim twice the rows the file holds, in every format where the data's length can show it: the
/// scanner finds the lie before anything is allocated. (Not here: RLE BMP, where an early end-of-bitmap marker
/// legally leaves rows undefined; WebP, whose VP8 data size does not follow from the image size (lossless data is walked:
/// WebpLosslessDataTests); JPEG,
/// whose data is the JPEG decoder's to check.)
/// </summary>
public sealed class LyingHeaderTests
{
    /// <summary>Files with data after the image are left out: there the extra bytes may well hold the extra rows.</summary>
    public static TheoryData<string> Names() => new(IntegrityCorpus.Valid
        .Where(f => f.Format is ImageFileFormat.Png or ImageFileFormat.Gif or ImageFileFormat.Tga or ImageFileFormat.Pnm
            || (f.Format == ImageFileFormat.Bmp && !f.Name.Contains("rle"))
            || (f.Format == ImageFileFormat.Tiff && f.Frames == 1))
        .Where(f => !f.Name.Contains("after") && !(f.Format == ImageFileFormat.Pnm && f.Frames > 1))
        .Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void HeaderClaimingTwiceTheRowsIsDamaged(string name)
    {
        CorpusFile file = IntegrityCorpus.Valid.Single(f => f.Name == name);
        byte[] lying = DoubleHeight(file);
        IntegrityReport report = FileIntegrity.Check(lying);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{name}: {report.Verdict}: {report.Reason}");
        Assert.Equal(2L * file.Height, report.Height);
    }

    private static byte[] DoubleHeight(CorpusFile file)
    {
        byte[] bytes = file.Bytes.ToArray();
        int height = file.Height;
        switch (file.Format)
        {
            case ImageFileFormat.Png:
                var chunks = PngWriter.Chunks(bytes);
                byte[] header = chunks[0].Data.ToArray();
                BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 2 * height);
                chunks[0] = ("IHDR", header);
                return PngWriter.Assemble(chunks);
            case ImageFileFormat.Bmp:
                int stored = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(22));
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), 2 * stored);
                return bytes;
            case ImageFileFormat.Tga:
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(14), (ushort)(2 * height));
                return bytes;
            case ImageFileFormat.Pnm:
                return DoublePnmHeight(bytes, file.Width, height);
            case ImageFileFormat.Tiff:
                return DoubleTiffHeight(bytes, height);
            default:
                return DoubleGifHeight(bytes, height);
        }
    }

    /// <summary>Rewrites the second number of the header.</summary>
    private static byte[] DoublePnmHeight(byte[] bytes, int width, int height)
    {
        string text = System.Text.Encoding.Latin1.GetString(bytes);
        string size = $"{width} {height}";
        int at = text.IndexOf(size, StringComparison.Ordinal);
        Assert.True(at > 0);
        return System.Text.Encoding.Latin1.GetBytes(text[..at] + $"{width} {2 * height}" + text[(at + size.Length)..]);
    }

    /// <summary>ImageLength in the first directory, whichever byte order.</summary>
    private static byte[] DoubleTiffHeight(byte[] bytes, int height)
    {
        bool little = bytes[0] == 'I';
        bool big = (little ? bytes[2] : bytes[3]) == 43;
        long U(int at, int size)
        {
            Span<byte> b = stackalloc byte[8];
            bytes.AsSpan(at, size).CopyTo(little ? b : b[(8 - size)..]);
            return little ? BinaryPrimitives.ReadInt64LittleEndian(b) : BinaryPrimitives.ReadInt64BigEndian(b);
        }
        int ifd = (int)(big ? U(8, 8) : U(4, 4));
        int count = (int)(big ? U(ifd, 8) : U(ifd, 2));
        int entries = ifd + (big ? 8 : 2), size = big ? 20 : 12;
        for (int i = 0; i < count; i++)
        {
            int e = entries + i * size;
            if (U(e, 2) != 257) continue;
            int type = (int)U(e + 2, 2);
            int value = e + (big ? 12 : 8);
            if (type == 3)
            {
                if (little) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(value), (ushort)(2 * height));
                else BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(value), (ushort)(2 * height));
            }
            else if (little) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(value), 2 * height);
            else BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(value), 2 * height);
            return bytes;
        }
        throw new InvalidOperationException("no ImageLength");
    }

    /// <summary>The screen's height and the first frame's.</summary>
    private static byte[] DoubleGifHeight(byte[] bytes, int height)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)(2 * height));
        int p = 13 + ((bytes[10] & 0x80) != 0 ? 3 << ((bytes[10] & 7) + 1) : 0);
        while (bytes[p] == 0x21)
        {
            p += 2;
            while (bytes[p] != 0) p += bytes[p] + 1;
            p++;
        }
        Assert.Equal(0x2C, bytes[p]);
        int frameHeight = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(p + 7));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(p + 7), (ushort)(2 * frameHeight));
        return bytes;
    }
}
