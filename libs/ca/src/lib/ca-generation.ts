import { createIntermediateCertificate, createRootCertificate } from './ca-certificates';
import type { Signer } from './signer/signer';

/** Inputs of {@link createCaGeneration}. Times are Unix seconds. */
export interface CreateCaGenerationParams {
  trustDomain: string;
  /** Short id that names the certificates (`<td> root <id>`), unique per generation. */
  generationId: string;
  nowSeconds: number;
  ttlSeconds: number;
  rootSigner: Signer;
  intermediateSigner: Signer;
}

/** A root and the intermediate it signed, valid over the same period. */
export interface CaGenerationCertificates {
  rootDer: Buffer;
  intermediateDer: Buffer;
  notBefore: number;
  notAfter: number;
}

/** Clock skew allowed to relying parties whose clocks run behind ours. */
const BACKDATE_SECONDS = 60;

/**
 * Creates one CA generation: a root and an intermediate with the same validity, backdated by
 * 60 s like leaves are.
 */
export async function createCaGeneration(
  params: CreateCaGenerationParams,
): Promise<CaGenerationCertificates> {
  if (!Number.isSafeInteger(params.ttlSeconds) || params.ttlSeconds <= BACKDATE_SECONDS) {
    throw new TypeError('CA ttl must be a whole number of seconds above 60');
  }
  const notBefore = params.nowSeconds - BACKDATE_SECONDS;
  const notAfter = params.nowSeconds + params.ttlSeconds;
  const common = { trustDomain: params.trustDomain, notBefore, notAfter };

  const rootDer = await createRootCertificate({
    ...common,
    commonName: `${params.trustDomain} root ${params.generationId}`,
    signer: params.rootSigner,
  });
  const intermediateDer = await createIntermediateCertificate({
    ...common,
    commonName: `${params.trustDomain} intermediate ${params.generationId}`,
    signer: params.intermediateSigner,
    root: { der: rootDer, signer: params.rootSigner },
  });

  return { rootDer, intermediateDer, notBefore, notAfter };
}
