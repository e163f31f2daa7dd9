using System.Runtime.InteropServices;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Turns decoded component samples into RGBA rows of the destination as soon as every component has the rows
/// they need, and reports each band of finished rows. The inverse DCT fills the component planes one MCU row at
/// a time (<see cref="Planes"/>); after each, <see cref="McuRowDone"/> upsamples and converts what it can.
/// </summary>
internal sealed class OutputStage
{
    private readonly JpegFrame _frame;
    private readonly JpegColorSpace _colorSpace;
    private readonly JpegKernel _kernel;
    private readonly ComponentUpsampler[] _upsamplers;
    private readonly Rgba32[] _destination;
    private readonly Action<int>? _rowsDone;
    private int _rows;

    internal OutputStage(JpegFrame frame, JpegColorSpace colorSpace, JpegKernel kernel, Rgba32[] destination, Action<int>? rowsDone)
    {
        _frame = frame;
        _colorSpace = colorSpace;
        _kernel = kernel;
        _destination = destination;
        _rowsDone = rowsDone;
        Planes = new ComponentPlane[frame.Components.Length];
        _upsamplers = new ComponentUpsampler[frame.Components.Length];
        for (int i = 0; i < Planes.Length; i++)
        {
            JpegComponent c = frame.Components[i];
            Planes[i] = new ComponentPlane(c.BlocksWide * 8, 8 * c.V);
            _upsamplers[i] = new ComponentUpsampler(frame, c, Planes[i]);
        }
    }

    internal ComponentPlane[] Planes { get; }

    /// <summary>Image rows finished so far.</summary>
    internal int RowsDone => _rows;

    /// <summary>MCU row <paramref name="mcuRow"/> of every component is in the planes: converts the rows that are now complete.</summary>
    internal void McuRowDone(int mcuRow)
    {
        int end = _frame.Height;
        for (int i = 0; i < _upsamplers.Length; i++)
        {
            JpegComponent c = _frame.Components[i];
            int available = (int)Math.Min(c.SampledHeight, 8L * c.V * (mcuRow + 1));
            end = Math.Min(end, _upsamplers[i].ImageRowsReady(available));
        }
        if (end <= _rows) return;
        int width = _frame.Width;
        Span<uint> pixels = MemoryMarshal.Cast<Rgba32, uint>(_destination.AsSpan());
        for (int y = _rows; y < end; y++)
        {
            Span<uint> row = pixels.Slice(y * width, width);
            switch (_colorSpace)
            {
                case JpegColorSpace.Grey:
                    ColorConversion.Grey(_kernel, _upsamplers[0].Row(y, _kernel), row);
                    break;
                case JpegColorSpace.Rgb:
                    ColorConversion.Rgb(_kernel, _upsamplers[0].Row(y, _kernel), _upsamplers[1].Row(y, _kernel), _upsamplers[2].Row(y, _kernel), row);
                    break;
                default:
                    ColorConversion.YCbCr(_kernel, _upsamplers[0].Row(y, _kernel), _upsamplers[1].Row(y, _kernel), _upsamplers[2].Row(y, _kernel), row);
                    break;
            }
        }
        _rows = end;
        _rowsDone?.Invoke(end);
    }
}
