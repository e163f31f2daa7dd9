using KMeansPS.Engine.Memory;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using static KMeansPS.Imaging.Tiff.TiffTags;

namespace KMeansPS.Imaging.Tiff;

/// <summary>
/// A JPEG-compressed TIFF (compression 7) decoded as libtiff's readers show it (tiff2rgba, PIL, ImageMagick): each
/// strip, after the shared JPEGTables, is a JPEG that libjpeg decodes whole, chroma upsampling and the YCbCr to RGB
/// step included. So each strip goes through our exact decoder (the pixels of djpeg -dct int), read as YCbCr when
/// Photometric says YCbCr (6), as RGB when it says RGB (2) and as grey for one sample (MinIsWhite inverted), and
/// the YCbCrSubSampling, ReferenceBlackWhite and YCbCrCoefficients tags are left aside, as libtiff leaves them for
/// JPEG data. ImageSharp 2.1 decodes these files into other pixels: chroma repeated instead of interpolated (up to
/// 94 levels apart at colour edges), a floating-point inverse DCT, those three tags applied, and a stated
/// subsampling applied a second time to the JPEG's already upsampled output (a wholly wrong picture).
/// </summary>
internal sealed class TiffJpegStrips
{
    private readonly byte[] _file;
    private readonly TiffFirstDirectory _directory;
    private readonly byte[] _tables;
    private readonly int _width, _height, _rowsPerStrip;
    private readonly long _photometric;

    private TiffJpegStrips(byte[] file, TiffFirstDirectory directory, byte[] tables, int width, int height, int rowsPerStrip, long photometric)
    {
        _file = file;
        _directory = directory;
        _tables = tables;
        _width = width;
        _height = height;
        _rowsPerStrip = rowsPerStrip;
        _photometric = photometric;
    }

    /// <summary>
    /// The layout of <paramref name="file"/> (a classic TIFF, checked by the scanner) when its first directory is
    /// JPEG-compressed strips of 8-bit samples in one plane: grey (MinIsWhite or MinIsBlack, one sample), RGB or YCbCr
    /// (three); else null (left to ImageSharp, or refused by the scanner).
    /// </summary>
    public static TiffJpegStrips? Read(byte[] file)
    {
        if (TiffFirstDirectory.Read(file) is not { } directory || directory.Value(Compression) != 7) return null;
        if (directory.Has(TileOffsets) || directory.Has(ExtraSamples) || (directory.Value(PlanarConfiguration) ?? 1) != 1) return null;
        long samples = directory.Value(SamplesPerPixel) ?? 1;
        long? photometric = directory.Value(Photometric);
        if (!TakesLayout(samples, photometric ?? -1)) return null;
        for (int c = 0; c < Math.Max(1, directory.Count(BitsPerSample)); c++)
            if ((directory.Value(BitsPerSample, c) ?? 1) != 8) return null;
        if (directory.Value(ImageWidth) is not long width || directory.Value(ImageLength) is not long height) return null;
        if (width is <= 0 or > int.MaxValue || height is <= 0 or > int.MaxValue) return null;
        long perStrip = Math.Min(directory.Value(RowsPerStrip) ?? height, height);
        if (perStrip <= 0 || !directory.Has(StripOffsets) || !directory.Has(StripByteCounts)) return null;
        byte[] tables = directory.Bytes(JpegTables) ?? [];
        return new TiffJpegStrips(file, directory, tables, (int)width, (int)height, (int)perStrip, photometric!.Value);
    }

    /// <summary>
    /// The sample layouts decoded here, which the scanner also accepts for JPEG data: one grey sample (Photometric 0,
    /// MinIsWhite, or 1, MinIsBlack), or three of RGB (2) or YCbCr (6).
    /// </summary>
    internal static bool TakesLayout(long samples, long photometric) => (samples, photometric) is (1, 0 or 1) or (3, 2 or 6);

    /// <summary>
    /// The image, or null when a strip is a kind of JPEG our decoder does not read (left to ImageSharp). A damaged strip,
    /// or one whose JPEG does not fit the strip (libtiff refuses a larger one and cannot fill its rows from a smaller
    /// one), is an <see cref="InvalidImageException"/> naming the file and the strip.
    /// </summary>
    public RgbaImage? Decode(long maxPixels, string label, string? name, CancellationToken cancellationToken)
    {
        ImageDecoder.CheckLimit(_width, _height, maxPixels, label, name);
        Rgba32[] pixels = LargeBufferCache.Rent<Rgba32>(_width * _height);
        Rgba32[]? band = null;
        int strips = (_height + _rowsPerStrip - 1) / _rowsPerStrip;
        JpegColorSpace stated = _photometric == 2 ? JpegColorSpace.Rgb : JpegColorSpace.YCbCr;
        try
        {
            for (int s = 0; s < strips; s++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int firstRow = s * _rowsPerStrip, rows = Math.Min(_rowsPerStrip, _height - firstRow);
                string strip = $"the TIFF strip {Plain.N(s + 1)}";
                var reader = new JpegReader(Assembled(s), threeComponentsAs: stated);
                JpegHeader header;
                try
                {
                    header = reader.ReadHeader();
                    bool grey = header.ColorSpace == JpegColorSpace.Grey;
                    if (grey != (_photometric is 0 or 1))
                        throw new JpegFormatException($"its JPEG has {(grey ? "one component" : "three components")} where the TIFF gives {(grey ? "three samples" : "one")} a pixel");
                    // The last strip's JPEG may be coded at the full strip height (libtiff takes its first rows).
                    bool fits = header.Width == _width && (header.Height == rows || (s == strips - 1 && header.Height > rows && header.Height <= _rowsPerStrip));
                    if (!fits)
                        throw new JpegFormatException($"its JPEG is {Plain.Size(header.Width, header.Height)} pixels where the strip is {Plain.Size(_width, rows)}");
                    if (s == 0 && header.PixelCount <= pixels.Length)
                    {
                        reader.Decode(pixels, null, JpegKernels.Best, cancellationToken);
                    }
                    else
                    {
                        band ??= LargeBufferCache.Rent<Rgba32>(_width * _rowsPerStrip);
                        reader.Decode(band, null, JpegKernels.Best, cancellationToken);
                        band.AsSpan(0, _width * rows).CopyTo(pixels.AsSpan(firstRow * _width));
                    }
                }
                catch (JpegFormatException ex)
                {
                    throw new InvalidImageException($"Cannot read '{label}' as an image: {strip} is a damaged JPEG: {ex.Message}.", ex) { FilePath = name };
                }
            }
            if (_photometric == 0) Invert(pixels.AsSpan(0, _width * _height));
            return new RgbaImage(_width, _height, pixels);
        }
        catch (JpegNotSupportedException)
        {
            LargeBufferCache.Return(pixels);
            return null;
        }
        catch
        {
            LargeBufferCache.Return(pixels);
            throw;
        }
        finally
        {
            if (band is not null) LargeBufferCache.Return(band);
        }
    }

    /// <summary>
    /// Strip <paramref name="s"/> as a JPEG file: the shared JPEGTables without their end-of-image marker, then the
    /// strip without its start-of-image marker (libtiff reads the tables first into the same decoder); a strip alone
    /// when either lacks its marker.
    /// </summary>
    private byte[] Assembled(int s)
    {
        long start = _directory.Value(StripOffsets, s) ?? 0, length = _directory.Value(StripByteCounts, s) ?? 0;
        return Assemble(_tables, _file.AsSpan((int)start, (int)length));
    }

    /// <summary>A JPEG strip <paramref name="data"/> after the shared <paramref name="tables"/>, as one JPEG file (see <c>Assembled</c>).</summary>
    internal static byte[] Assemble(ReadOnlySpan<byte> tables, ReadOnlySpan<byte> data)
    {
        if (tables.Length < 4 || tables[0] != 0xFF || tables[1] != 0xD8 || data.Length < 2 || data[0] != 0xFF || data[1] != 0xD8)
            return data.ToArray();
        int tablesEnd = tables[^2] == 0xFF && tables[^1] == 0xD9 ? tables.Length - 2 : tables.Length;
        return [.. tables[..tablesEnd], .. data[2..]];
    }

    private static void Invert(Span<Rgba32> pixels)
    {
        foreach (ref Rgba32 p in pixels)
            p = new Rgba32((byte)(255 - p.R), (byte)(255 - p.G), (byte)(255 - p.B), 255);
    }
}
