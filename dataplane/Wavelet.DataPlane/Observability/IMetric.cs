using System.Text;

namespace Wavelet.DataPlane.Observability;

public interface IMetric
{
    void WriteTo(StringBuilder text);
}
