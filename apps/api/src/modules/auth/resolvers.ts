import { asUserError, parseId } from "../../errors.ts";
import type { Resolvers } from "../../generated/resolvers-types.ts";
import { issueApiKey, listApiKeys, login, logout, revokeKey } from "./services.ts";

export const authResolvers: Resolvers = {
  Query: {
    me: (_parent, _args, context) =>
      context.viewer ? { id: String(context.viewer.id), name: context.viewer.name, role: context.viewer.role } : null,
    apiKeys: (_parent, _args, context) => listApiKeys(context),
  },
  Mutation: {
    login: async (_parent, args, context) => {
      try {
        const user = await login(context, args.name, args.password);
        return { user: { ...user, id: String(user.id) }, error: null };
      } catch (error) {
        return { user: null, error: asUserError(error) };
      }
    },
    logout: (_parent, _args, context) => logout(context),
    createApiKey: async (_parent, args, context) => {
      try {
        const { apiKey, secret } = await issueApiKey(context, args);
        return { apiKey, secret, error: null };
      } catch (error) {
        return {
          apiKey: null,
          secret: null,
          error: asUserError(error, (code) => (code === "USER_NOT_FOUND" ? "userName" : null)),
        };
      }
    },
    revokeApiKey: async (_parent, args, context) => {
      try {
        return { apiKey: await revokeKey(context, parseId(args.id, "id")), error: null };
      } catch (error) {
        return { apiKey: null, error: asUserError(error, () => "id") };
      }
    },
  },
  ApiKey: {
    id: (k) => String(k.id),
    user: async (k, _args, { loaders }) => {
      const user = await loaders.user.load(k.userId);
      if (!user) throw new Error(`User ${k.userId} disappeared`);
      return { id: String(user.id), name: user.name, role: user.role as "ADMIN" };
    },
  },
};
