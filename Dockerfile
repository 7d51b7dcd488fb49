# Container image of Sales Coach: one static binary, nothing else.
#   docker build -t salescoach .
#   docker run -e DATABASE_URL=... -e SLACK_SIGNING_SECRET=... -e SLACK_BOT_TOKEN=... -p 3000:3000 salescoach
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/salescoach ./cmd/salescoach

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/salescoach /usr/local/bin/salescoach
EXPOSE 3000
USER nonroot
ENTRYPOINT ["/usr/local/bin/salescoach"]
CMD ["serve"]
